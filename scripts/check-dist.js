// Fails when the committed dist/ (or a generated source) differs from a fresh build of the sources. `git status --porcelain`
// (unlike `git diff`) also sees new files, such as a chunk the bundler started to emit.
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
const changed = execFileSync('git', ['status', '--porcelain', '--', 'dist', 'actions/*/src/generated'], { encoding: 'utf8' }).trim();
if (changed) {
  console.error(`dist/ (or a generated source) is out of date. Run \`npm run build\` and commit the result:\n${changed}`);
  process.exit(1);
}
console.log('dist/ matches a fresh build');
