// Stops the server and the DingTalk and PM simulators started by global-setup.ts and
// removes the database (kept when HOURBRIDGE_E2E_KEEP_DATA=1, e.g. to read
// server.log and dingtalk-sim.log).
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

async function stop(pid: number, signal: NodeJS.Signals): Promise<void> {
  if (pid > 0 && alive(pid)) {
    process.kill(pid, signal);
    if (!(await waitForExit(pid, 10_000))) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
  }
}

export default async function globalTeardown(): Promise<void> {
  // The simulators shut down on Ctrl-C (SIGINT); the server on SIGTERM.
  await Promise.all([
    stop(Number(process.env.HOURBRIDGE_E2E_SERVER_PID), 'SIGTERM'),
    stop(Number(process.env.HOURBRIDGE_E2E_SIM_PID), 'SIGINT'),
    stop(Number(process.env.HOURBRIDGE_E2E_JIRA_PID), 'SIGINT'),
    ...(process.env.HOURBRIDGE_E2E_PM_PIDS ?? '')
      .split(',')
      .filter((pid) => pid !== '')
      .map((pid) => stop(Number(pid), 'SIGINT')),
  ]);
  const dataDir = process.env.HOURBRIDGE_E2E_DATA_DIR;
  if (dataDir && process.env.HOURBRIDGE_E2E_KEEP_DATA !== '1') {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
