// Fails when the committed dist/ differs from a fresh build of the sources. `git status --porcelain`
// (unlike `git diff`) also sees new files, such as a chunk the bundler started to emit.
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
const changed = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { encoding: 'utf8' }).trim();
if (changed) {
  console.error(`dist/ is out of date with the sources. Run \`npm run build\` and commit dist/:\n${changed}`);
  process.exit(1);
}
console.log('dist/ matches a fresh build');
