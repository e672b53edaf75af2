// The figures table both import benchmarks print: one row per export size, columns right-aligned
// under their headings, three spaces apart.

const COLUMNS = {
  comments: (r) => String(r.posts),
  'file MB': (r) => r.fileMb.toFixed(1),
  seconds: (r) => r.seconds.toFixed(1),
  'comments/s': (r) => Math.round(r.perSecond).toString(),
  'comments/CPU-s': (r) => Math.round(r.perCpuSecond).toString(),
  'peak RSS MB': (r) => r.peakRssMb.toFixed(0),
  'peak heap MB': (r) => r.peakHeapMb.toFixed(0),
  'peak live heap MB': (r) => r.peakLiveHeapMb.toFixed(1),
};

/** Prints `title`, a heading line and one line per row, for the named columns of COLUMNS. */
export function printImportTable(title, names, rows) {
  console.log(title);
  console.log(names.join('   '));
  for (const row of rows) {
    // Each cell ends where its heading ends: the first column is 8 wide, the others their heading plus three spaces.
    console.log(names.map((name, i) => COLUMNS[name](row).padStart(i === 0 ? 8 : name.length + 2)).join(' '));
  }
}
