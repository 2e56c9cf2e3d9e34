// Starts one HourBridge server on a fresh SQLite database for the whole run,
// and one DingTalk simulator (dingtalk-sim) for the connection tests, and
// hands their addresses and the first admin's one-time password to the tests
// through environment variables (test workers inherit them).
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const STARTUP_TIMEOUT_MS = 60_000;

/** The simulated company: small, so that the directory fits on one page of people. */
const SIM_PEOPLE = 60;
const SIM_DEPARTMENTS = 5;
/**
 * The Jira simulator's company: the same generator and seed, five people
 * fewer, so those five DingTalk people have no Jira account and wait for a
 * decision on the matching page.
 */
const JIRA_PEOPLE = SIM_PEOPLE - 5;
const JIRA_PROJECTS = 6;

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

/** A started child process whose output is kept (and logged) for error messages. */
interface Started {
  child: ChildProcess;
  /** The first match of the ready pattern in the output. */
  match: RegExpExecArray;
  /** The output so far, framed for an error message. */
  describe: () => string;
  log: fs.WriteStream;
}

/**
 * Spawns `bin`, drains both of its pipes into `logPath` for its whole life
 * (or it would block once a pipe buffer fills), and waits until its standard
 * output matches `ready`. Fails with the output when it exits first, cannot
 * start, or prints nothing matching within the start-up timeout.
 */
async function startProcess(
  name: string,
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logPath: string,
  ready: RegExp,
  waitingFor: string,
): Promise<Started> {
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(logPath);
  let output = '';
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    output += chunk.toString('utf8');
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const describe = () =>
    `\n--- ${name} output (${bin}) ---\n${stripAnsi(output) || '(nothing)'}\n--- end of ${name} output ---`;

  try {
    const match = await new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${name} printed no ${waitingFor} within ${STARTUP_TIMEOUT_MS / 1000} s${describe()}`));
      }, STARTUP_TIMEOUT_MS);
      const look = () => {
        const found = ready.exec(stripAnsi(output));
        if (found) {
          finish();
          resolve(found);
        }
      };
      // 'close' comes after the output pipes are drained, so nothing is missed.
      const exited = (code: number | null, signal: NodeJS.Signals | null) => {
        finish();
        reject(new Error(`${name} exited (code ${code}, signal ${signal}) before printing the ${waitingFor}${describe()}`));
      };
      const failed = (error: Error) => {
        finish();
        reject(new Error(`cannot start ${name} (${bin}): ${error.message}`));
      };
      function finish() {
        clearTimeout(timer);
        child.stdout!.off('data', look);
        child.off('close', exited);
        child.off('error', failed);
      }
      child.stdout!.on('data', look);
      child.once('close', exited);
      child.once('error', failed);
      look();
    });
    return { child, match, describe, log };
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    log.end();
    throw error;
  }
}

/** Starts the DingTalk simulator on a free port of 127.0.0.1. */
async function startSimulator(bin: string, logPath: string): Promise<{ pid: number; url: string }> {
  const sim = await startProcess(
    'the DingTalk simulator',
    bin,
    ['--port', '0', '--people', String(SIM_PEOPLE), '--departments', String(SIM_DEPARTMENTS)],
    process.env,
    logPath,
    /^DingTalk simulator listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/m,
    'address',
  );
  const url = sim.match[1];
  // It prints the line once its listener is bound: one admin call proves it answers.
  const stats = await fetch(`${url}/_sim/stats`).catch(() => null);
  if (!stats?.ok) {
    sim.child.kill('SIGKILL');
    sim.log.end();
    throw new Error(`the DingTalk simulator did not answer /_sim/stats${sim.describe()}`);
  }
  return { pid: sim.child.pid as number, url };
}

/** Starts the Jira simulator (`pm-sim jira`) on a free port of 127.0.0.1. */
async function startJira(bin: string, logPath: string): Promise<{ pid: number; url: string }> {
  const jira = await startProcess(
    'the Jira simulator',
    bin,
    [
      'jira',
      '--port', '0',
      '--people', String(JIRA_PEOPLE),
      '--departments', String(SIM_DEPARTMENTS),
      '--projects', String(JIRA_PROJECTS),
    ],
    process.env,
    logPath,
    /^Jira simulator listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/m,
    'address',
  );
  return { pid: jira.child.pid as number, url: jira.match[1] };
}

/** How the browser tests reach one more PM simulator: what the connection form takes. */
export interface PmSim {
  pid: number;
  kind: 'zentao' | 'tapd' | 'feishu_project';
  url: string;
  username: string;
  secret: string;
  space?: string;
  operator?: string;
}

/**
 * Starts the ZenTao, TAPD and Feishu Project simulators (`pm-sim zentao|tapd|feishu`)
 * over the Jira simulator's company, and reads their integration accounts
 * from what they print.
 */
async function startOtherPmSims(bin: string, dataDir: string): Promise<PmSim[]> {
  const common = [
    '--port', '0',
    '--people', String(JIRA_PEOPLE),
    '--departments', String(SIM_DEPARTMENTS),
    '--projects', '4',
  ];
  const specs: {
    system: string;
    name: string;
    ready: RegExp;
    read: (m: RegExpExecArray) => Omit<PmSim, 'pid'>;
  }[] = [
    {
      system: 'zentao',
      name: 'the ZenTao simulator',
      ready: /^ZenTao simulator listening on (http:\/\/127\.0\.0\.1:\d+\S*)\s*$[\s\S]*?: account (\S+) password (\S+)\s*$/m,
      read: (m) => ({ kind: 'zentao', url: m[1], username: m[2], secret: m[3] }),
    },
    {
      system: 'tapd',
      name: 'the TAPD simulator',
      ready: /^TAPD simulator listening on (http:\/\/127\.0\.0\.1:\d+)\s*$\s*company id: (\S+)\s*$\s*\S+ \(every workspace\): Basic ([^:\s]+):(\S+)\s*$/m,
      read: (m) => ({ kind: 'tapd', url: m[1], space: m[2], username: m[3], secret: m[4] }),
    },
    {
      system: 'feishu',
      name: 'the Feishu Project simulator',
      ready: /^Feishu Project simulator listening on (http:\/\/127\.0\.0\.1:\d+)\s*$[\s\S]*?plugin_id (\S+) plugin_secret (\S+)[\s\S]*?X-USER-KEY (\S+)\s*$[\s\S]*?project_key (\S+)/m,
      read: (m) => ({
        kind: 'feishu_project',
        url: m[1],
        username: m[2],
        secret: m[3],
        operator: m[4],
        space: m[5],
      }),
    },
  ];
  const started: PmSim[] = [];
  try {
    for (const spec of specs) {
      const sim = await startProcess(
        spec.name,
        bin,
        [spec.system, ...common],
        process.env,
        path.join(dataDir, `${spec.system}-sim.log`),
        spec.ready,
        'address and accounts',
      );
      started.push({ pid: sim.child.pid as number, ...spec.read(sim.match) });
    }
  } catch (error) {
    for (const sim of started) stopSimulator(sim.pid);
    throw error;
  }
  return started;
}

function stopSimulator(pid: number) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
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

  const simBin = path.resolve(
    __dirname,
    process.env.DINGTALK_SIM_BIN ?? '../target/debug/dingtalk-sim',
  );
  if (!fs.existsSync(simBin)) {
    throw new Error(
      `DingTalk simulator not found at ${simBin}: build it with \`cargo build -p hourbridge-dingtalk-sim\` (or set DINGTALK_SIM_BIN)`,
    );
  }

  const pmSimBin = path.resolve(__dirname, process.env.PM_SIM_BIN ?? '../target/debug/pm-sim');
  if (!fs.existsSync(pmSimBin)) {
    throw new Error(
      `PM simulators not found at ${pmSimBin}: build them with \`cargo build -p hourbridge-pm-sim\` (or set PM_SIM_BIN)`,
    );
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourbridge-e2e-'));
  const logPath = path.join(dataDir, 'server.log');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let simulator: { pid: number; url: string };
  let jira: { pid: number; url: string };
  try {
    simulator = await startSimulator(simBin, path.join(dataDir, 'dingtalk-sim.log'));
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  try {
    jira = await startJira(pmSimBin, path.join(dataDir, 'jira-sim.log'));
  } catch (error) {
    stopSimulator(simulator.pid);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  let otherPmSims: PmSim[];
  try {
    otherPmSims = await startOtherPmSims(pmSimBin, dataDir);
  } catch (error) {
    stopSimulator(simulator.pid);
    stopSimulator(jira.pid);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

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
    // The generated master key goes to the temporary folder too, not ./data.
    HOURBRIDGE_DATA_DIR: dataDir,
  });

  let server: Started;
  try {
    server = await startProcess(
      'HourBridge',
      bin,
      [],
      env,
      logPath,
      /^\s*Password:\s*(\S+)\s*$/m,
      'one-time admin password',
    );
  } catch (error) {
    stopSimulator(simulator.pid);
    stopSimulator(jira.pid);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const password = server.match[1];
  const { describe } = server;

  try {
    // The password is printed before the server accepts requests: wait for /healthz.
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      if (server.child.exitCode !== null) {
        throw new Error(`HourBridge exited with code ${server.child.exitCode}${describe()}`);
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
    server.child.kill('SIGKILL');
    stopSimulator(simulator.pid);
    stopSimulator(jira.pid);
    for (const sim of otherPmSims) stopSimulator(sim.pid);
    server.log.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  process.env.BASE_URL = baseUrl;
  process.env.HOURBRIDGE_ADMIN_PASSWORD = password;
  process.env.HOURBRIDGE_E2E_DATA_DIR = dataDir;
  process.env.HOURBRIDGE_E2E_SERVER_PID = String(server.child.pid);
  process.env.DINGTALK_SIM_URL = simulator.url;
  process.env.DINGTALK_SIM_PEOPLE = String(SIM_PEOPLE);
  process.env.DINGTALK_SIM_DEPARTMENTS = String(SIM_DEPARTMENTS);
  process.env.HOURBRIDGE_E2E_SIM_PID = String(simulator.pid);
  process.env.JIRA_SIM_URL = jira.url;
  process.env.JIRA_SIM_PROJECTS = String(JIRA_PROJECTS);
  process.env.HOURBRIDGE_E2E_JIRA_PID = String(jira.pid);
  process.env.PM_SIMS = JSON.stringify(otherPmSims);
  process.env.HOURBRIDGE_E2E_PM_PIDS = otherPmSims.map((sim) => sim.pid).join(',');
  console.log(`HourBridge under test: ${baseUrl} (data and server log in ${dataDir})`);
  console.log(`DingTalk simulator: ${simulator.url}`);
  console.log(`Jira simulator: ${jira.url}`);
  for (const sim of otherPmSims) console.log(`${sim.kind} simulator: ${sim.url}`);
}
