// Stops the server started by global-setup.ts and removes its database
// (kept when HOURBRIDGE_E2E_KEEP_DATA=1, e.g. to read server.log).
import * as fs from 'node:fs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env.HOURBRIDGE_E2E_SERVER_PID);
  if (pid > 0 && alive(pid)) {
    process.kill(pid, 'SIGTERM');
    if (!(await waitForExit(pid, 10_000))) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
  }
  const dataDir = process.env.HOURBRIDGE_E2E_DATA_DIR;
  if (dataDir && process.env.HOURBRIDGE_E2E_KEEP_DATA !== '1') {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
