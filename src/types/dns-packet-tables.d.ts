// dns-packet's code tables (CommonJS files of the package; @types/dns-packet declares only its index).
declare module 'dns-packet/types.js' {
  const types: { toString(type: number): string; toType(name: string): number };
  export default types;
}
declare module 'dns-packet/classes.js' {
  const classes: { toString(klass: number): string; toClass(name: string): number };
  export default classes;
}
