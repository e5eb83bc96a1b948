/** YAML data files bundled as text (esbuild `text` loader; the test config does the same). */
declare module "*.yml" {
  const text: string;
  export default text;
}
