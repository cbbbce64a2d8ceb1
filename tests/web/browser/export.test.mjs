// The run's PyTorch project and hand-in notebook from the page (issue #15, parts 3 and 4): after a
// short run (logreg, 1 epoch), "Export PyTorch project" downloads a zip holding train.py and the
// rest of the project, and "Export notebook" a notebook in the page's language (English, then
// Spanish after the switch) that Debian's nbformat validates.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { download, useBuiltApp } from './support.mjs';

const RUN_TIMEOUT_MS = 180_000;

function validNotebook(bytes) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'profundo-notebook-')), 'run.ipynb');
  fs.writeFileSync(file, bytes);
  const checked = spawnSync('/usr/bin/python3', ['-c', 'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))', file], { encoding: 'utf8' });
  assert.equal(checked.status, 0, checked.stderr);
  return JSON.parse(bytes.toString('utf8'));
}

test.describe('export the run', () => {
  // The single-thread SIMD build: exporting does not depend on threads.
  const app = useBuiltApp({ isolated: false, serviceWorkers: 'block' });

  test('the PyTorch project (zip) and the notebook (page language) download from the keep panel', async () => {
    test.setTimeout(3 * RUN_TIMEOUT_MS);
    const page = await app.browser.context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    try {
      await page.goto(`${app.server.url}#preset=logreg&epochs=1&autostart=1`);
      await page.getByTestId('test-accuracy').waitFor({ timeout: RUN_TIMEOUT_MS });
      // From the results, one click to the runs and export panel.
      await page.getByTestId('results-export').click();
      await page.waitForSelector('#panel-history:not([hidden])');
      await page.waitForFunction(() => !document.querySelector('[data-testid="export-pytorch"]')?.disabled, null, { timeout: 30_000 });

      const zip = await download(page, page.getByTestId('export-pytorch'));
      assert.match(zip.name, /^profundo-logreg-mnist-.*-pytorch\.zip$/);
      const files = unzipSync(new Uint8Array(zip.bytes));
      for (const name of ['train.py', 'model.py', 'data.py', 'optim.py', 'run.json', 'state.json', 'state.bin', 'README.md'])
        assert.ok(files[`profundo-pytorch/${name}`], `the zip holds ${name}`);
      assert.match(strFromU8(files['profundo-pytorch/train.py']), /DistributedDataParallel/);
      assert.match(strFromU8(files['profundo-pytorch/model.py']), /nn\.Linear\(784, 10\)/);
      const index = JSON.parse(strFromU8(files['profundo-pytorch/state.json']));
      const weight = index.tensors.find((t) => t.name === 'layers.1.weight');
      assert.deepEqual(weight.shape, [10, 784]);

      await page.waitForFunction(() => !document.querySelector('[data-testid="export-notebook"]')?.disabled, null, { timeout: 30_000 });
      const english = validNotebook((await download(page, page.getByTestId('export-notebook'))).bytes);
      assert.equal(english.nbformat, 4);
      assert.equal(english.metadata.profundo.language, 'en');
      assert.match(JSON.stringify(english.cells), /Confusion matrix/);
      assert.ok(english.cells.some((cell) => (cell.outputs ?? []).some((o) => o.data['image/svg+xml']?.includes('<polyline'))), 'the curves');

      await page.getByTestId('language').selectOption('es');
      await page.waitForFunction(() => document.documentElement.lang === 'es');
      await page.waitForFunction(() => !document.querySelector('[data-testid="export-notebook"]')?.disabled, null, { timeout: 30_000 });
      const spanish = validNotebook((await download(page, page.getByTestId('export-notebook'))).bytes);
      assert.equal(spanish.metadata.profundo.language, 'es');
      assert.match(JSON.stringify(spanish.cells), /Matriz de confusión/);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
