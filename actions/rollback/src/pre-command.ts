// pre-rollback-command: the user's own step before anything changes (a database backup, say), as
// arguments split the way the command provider splits its templates, never handed to a shell.
import { exec } from '@actions/exec';
import { oneLine } from '@deploy-actions/report';

/** The last lines of stderr quoted in a failure, enough to say why without flooding the line. */
const STDERR_TAIL_CHARS = 400;

/** Runs the command in `cwd`; undefined when it succeeded, else why it failed in one line. */
export async function runPreRollbackCommand([tool, ...args]: readonly string[], cwd: string): Promise<string | undefined> {
  let stderr = '';
  try {
    // @actions/exec reads its first argument as a command line: quoted, a path with spaces stays one.
    const code = await exec(`"${tool!.replace(/"/g, '\\"')}"`, args, {
      cwd,
      ignoreReturnCode: true,
      listeners: { stderr: (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4 * STDERR_TAIL_CHARS)) }
    });
    if (code === 0) return undefined;
    const tail = oneLine(stderr).slice(-STDERR_TAIL_CHARS);
    return `pre-rollback-command exited with code ${code}${tail ? `: ${tail}` : ''}; nothing was rolled back`;
  } catch (error) {
    // Not found, not executable: @actions/exec says which.
    return `pre-rollback-command could not run: ${oneLine((error as Error).message)}; nothing was rolled back`;
  }
}
