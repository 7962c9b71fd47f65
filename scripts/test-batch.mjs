// Runs several compiled test files in this one process, each as a suite named by its path, so that a
// file's report still says which file it is. scripts/test.mjs runs the small files this way: a process
// of its own costs a file about 1.3 s of CPU (node --test's runner, then the child's start-up and
// imports), which for some 60 files was more than their tests. Files here share globals (process.env,
// the in-process CLI worker, module state): a file that needs a process of its own is listed in
// scripts/test.mjs (OWN_PROCESS).
import { describe } from 'node:test';
import { pathToFileURL } from 'node:url';

for (const file of process.argv.slice(2)) {
  describe(file, async () => {
    await import(pathToFileURL(file).href);
  });
}
