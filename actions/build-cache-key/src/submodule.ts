// The commit checked out in a submodule (or any repository nested in the tree), read from its .git
// the way git finds it, without running git: a key counts a submodule as that commit (git's
// "gitlink", mode 160000), with and without git alike, and never reads the files inside it.
import { readFileSync, statSync } from 'node:fs';

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** `name` under the folder `dir` (bytes when `dir` is). */
function inside(dir: string | Buffer, name: string): string | Buffer {
  return typeof dir === 'string' ? `${dir}/${name}` : Buffer.concat([dir, Buffer.from(`/${name}`)]);
}

function readText(file: string | Buffer): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The git folder of the repository checked out in `dir`: `dir/.git` itself, or where the `.git`
 * file points (`gitdir: ../../.git/modules/lib`, as `git submodule` leaves it). Undefined when
 * `dir` holds no `.git`.
 */
function gitDirOf(dir: string | Buffer): string | Buffer | undefined {
  const dotGit = inside(dir, '.git');
  const stat = statSync(dotGit, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return dotGit;
  if (!stat?.isFile()) return undefined;
  // Read as bytes: the folder it names may itself not be UTF-8.
  const content = readFileSync(dotGit);
  if (!content.subarray(0, 7).equals(Buffer.from('gitdir:'))) return undefined;
  let start = 7;
  while (content[start] === 0x20) start += 1;
  let end = content.indexOf(0x0a, start);
  if (end === -1) end = content.length;
  if (content[end - 1] === 0x0d) end -= 1;
  const pointer = content.subarray(start, end);
  // Relative to the folder of the .git file (the file system resolves the `..` in it), unless absolute.
  const text = pointer.toString('latin1');
  if (text.startsWith('/') || text.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(text)) return pointer;
  return Buffer.concat([typeof dir === 'string' ? Buffer.from(dir) : dir, Buffer.of(0x2f), pointer]);
}

/** The object id `ref` (such as `refs/heads/main`) names: a loose ref file, else packed-refs; symbolic refs followed. */
function resolveRef(gitDir: string | Buffer, commonDir: string | Buffer, ref: string, depth = 0): string | undefined {
  if (depth > 5) return undefined; // a loop of symbolic refs
  // Refs of the worktree itself (HEAD, refs/bisect, refs/worktree) live in its git folder; the rest in the common one.
  for (const dir of gitDir === commonDir ? [gitDir] : [gitDir, commonDir]) {
    const loose = readText(inside(dir, ref))?.trim();
    if (loose === undefined) continue;
    if (OBJECT_ID.test(loose)) return loose;
    if (loose.startsWith('ref: ')) return resolveRef(gitDir, commonDir, loose.slice(5).trim(), depth + 1);
  }
  for (const line of (readText(inside(commonDir, 'packed-refs')) ?? '').split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0 && line.slice(space + 1).trim() === ref && OBJECT_ID.test(line.slice(0, space))) return line.slice(0, space);
  }
  return undefined;
}

/**
 * The commit checked out in the repository at `dir` (a submodule's folder, or a clone inside the
 * tree): its HEAD, detached or through the branch it names. Undefined when `dir` is no repository
 * or its branch has no commit yet; an error when its refs cannot be read without git (reftable).
 */
export function checkedOutCommit(dir: string | Buffer, path: string): string | undefined {
  const gitDir = gitDirOf(dir);
  if (gitDir === undefined) return undefined;
  const head = readText(inside(gitDir, 'HEAD'))?.trim();
  if (head === undefined) return undefined;
  if (OBJECT_ID.test(head)) return head;
  if (!head.startsWith('ref: ')) return undefined;
  const ref = head.slice(5).trim();
  // A linked worktree's git folder names the repository's own in `commondir`.
  const common = readText(inside(gitDir, 'commondir'))?.trim();
  const commonDir = common === undefined ? gitDir : common.startsWith('/') ? common : inside(gitDir, common);
  if (ref === 'refs/heads/.invalid' && statSync(inside(commonDir, 'reftable'), { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`the commit checked out in ${path} cannot be read without git: its repository keeps its refs in the reftable format`);
  }
  return resolveRef(gitDir, commonDir, ref);
}
