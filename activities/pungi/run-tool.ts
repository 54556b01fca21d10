// One run of a compose tool (createrepo_c, modifyrepo_c, dnf, rpm, xorriso, tar): its exit code and
// combined output, never a throw for a non-zero exit (the caller decides what that means), always a
// throw when the program cannot be started.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { toolRunClock } from './tool-runs';

export interface ToolRun {
  exitCode: number;
  output: string;
}

const OUTPUT_LIMIT = 4 * 1024 * 1024;

// A tool must not outlive the worker that started it: after a SIGKILL of the worker, a retry of the
// phase on another worker would otherwise share its temporary paths with a quiet tar or createrepo_c
// still writing there. util-linux's setpriv asks the kernel to kill the tool with its parent.
const DIE_WITH_PARENT = fs.existsSync('/usr/bin/setpriv') ? ['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--'] : [];

export function runTool(command: string, args: string[], options: { cwd?: string } = {}): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const clock = toolRunClock(command);
    const [program, ...rest] = [...DIE_WITH_PARENT, command, ...args];
    const child = spawn(program!, rest, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    const keep = (chunk: Buffer) => {
      if (size >= OUTPUT_LIMIT) return;
      chunks.push(chunk);
      size += chunk.length;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => reject(new Error(`${command} could not be started: ${err.message}`)));
    child.on('close', (code, signal) => {
      clock?.stop();
      const output = Buffer.concat(chunks).toString('utf8');
      // setpriv itself answers 127 when it cannot run the tool: that is "could not be started" too.
      if (DIE_WITH_PARENT.length > 0 && code === 127 && output.startsWith('setpriv: failed to execute'))
        return reject(new Error(`${command} could not be started: ${output.trim()}`));
      resolve({ exitCode: code ?? (signal ? 128 : 1), output });
    });
  });
}

/** Runs the tool and throws with its own words when it fails. */
export async function runToolOrThrow(command: string, args: string[], options: { cwd?: string } = {}): Promise<string> {
  const run = await runTool(command, args, options);
  if (run.exitCode !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${run.exitCode}: ${run.output.trim().slice(-2000)}`);
  return run.output;
}
