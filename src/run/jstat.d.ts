// The two functions of jstat (no types of its own) that acksim uses: quantiles of the normal and
// Student's t distributions, for intervals at a confidence other than 95 %.
declare module 'jstat' {
  const jStat: {
    normal: { inv(p: number, mean: number, sd: number): number };
    studentt: { inv(p: number, dof: number): number };
  };
  export default jStat;
}
