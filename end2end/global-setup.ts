// Starts one HourBridge server on a fresh SQLite database for the whole run,
// and hands its address and the first admin's one-time password to the tests
// through environment variables (test workers inherit them).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const STARTUP_TIMEOUT_MS = 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('could not read the probe port'));
        return;
      }
      probe.close(() => resolve(address.port));
    });
  });
}

// Log lines may carry ANSI colours; the password line is plain, but be safe.
function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

export default async function globalSetup(): Promise<void> {
  const bin = path.resolve(
    __dirname,
    process.env.HOURBRIDGE_BIN ?? '../target/debug/hourbridge',
  );
  const siteRoot = path.resolve(
    __dirname,
    process.env.HOURBRIDGE_SITE_ROOT ?? '../target/site',
  );
  if (!fs.existsSync(bin)) {
    throw new Error(
      `HourBridge binary not found at ${bin}: build it with .ci/build-site (or set HOURBRIDGE_BIN)`,
    );
  }
  if (!fs.existsSync(path.join(siteRoot, 'pkg'))) {
    throw new Error(
      `browser assets not found in ${siteRoot}/pkg: build them with .ci/build-site (or set HOURBRIDGE_SITE_ROOT)`,
    );
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourbridge-e2e-'));
  const logPath = path.join(dataDir, 'server.log');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;

  // Only the settings given here: a stray HOURBRIDGE_* variable (or config
  // file) from the caller's shell must not change what the tests see.
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('HOURBRIDGE_')) env[key] = value;
  }
  Object.assign(env, {
    HOURBRIDGE_DATABASE_URL: `sqlite://${path.join(dataDir, 'hb.db')}`,
    HOURBRIDGE_SITE_ROOT: siteRoot,
    HOURBRIDGE_BIND: `127.0.0.1:${port}`,
    HOURBRIDGE_PUBLIC_URL: baseUrl,
    HOURBRIDGE_LOG: 'warn',
  });

  const server = spawn(bin, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(logPath);
  let output = '';
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    output += chunk.toString('utf8');
  };
  // Keep draining both pipes for the server's whole life, or it would block
  // once a pipe buffer fills.
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);

  const describe = () =>
    `\n--- server output (${bin}) ---\n${stripAnsi(output) || '(nothing)'}\n--- end of server output ---`;

  let password: string;
  try {
    password = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `HourBridge printed no one-time admin password within ${STARTUP_TIMEOUT_MS / 1000} s${describe()}`,
          ),
        );
      }, STARTUP_TIMEOUT_MS);
      const look = () => {
        const match = /^\s*Password:\s*(\S+)\s*$/m.exec(stripAnsi(output));
        if (match) {
          finish();
          resolve(match[1]);
        }
      };
      // 'close' comes after the output pipes are drained, so nothing is missed.
      const exited = (code: number | null, signal: NodeJS.Signals | null) => {
        finish();
        reject(
          new Error(
            `HourBridge exited (code ${code}, signal ${signal}) before printing the one-time admin password${describe()}`,
          ),
        );
      };
      const failed = (error: Error) => {
        finish();
        reject(new Error(`cannot start HourBridge (${bin}): ${error.message}`));
      };
      function finish() {
        clearTimeout(timer);
        server.stdout.off('data', look);
        server.off('close', exited);
        server.off('error', failed);
      }
      server.stdout.on('data', look);
      server.once('close', exited);
      server.once('error', failed);
      look();
    });

    // The password is printed before the server accepts requests: wait for /healthz.
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      if (server.exitCode !== null) {
        throw new Error(`HourBridge exited with code ${server.exitCode}${describe()}`);
      }
      try {
        const response = await fetch(`${baseUrl}/healthz`);
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`HourBridge did not answer ${baseUrl}/healthz in time${describe()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    // Leave nothing behind: the error already carries the server's output.
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    log.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  process.env.BASE_URL = baseUrl;
  process.env.HOURBRIDGE_ADMIN_PASSWORD = password;
  process.env.HOURBRIDGE_E2E_DATA_DIR = dataDir;
  process.env.HOURBRIDGE_E2E_SERVER_PID = String(server.pid);
  console.log(`HourBridge under test: ${baseUrl} (data and server log in ${dataDir})`);
}
