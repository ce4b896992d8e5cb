import { loadImageFolder } from '../../../kernels/transfer/datasets/load-image-folder.ts';
process.env.TAILOR_PUBLIC_DIR = '/work/shared';
let t = Date.now();
const ds = await loadImageFolder('hymenoptera_data');
console.log(Date.now() - t, 'ms', ds.classes, ds.counts, ds.warnings, ds.skipped, ds.train.items.length, ds.val?.items.length, ds.train.items[0]);
t = Date.now();
const d2 = await loadImageFolder('/work/shared/data/hymenoptera_data/train', { split: { val: 0.2, seed: 1 } , verify: false});
console.log(Date.now() - t, 'ms', d2.counts);
