// Types for the SPDX helpers we use (they ship none): spdx-expression-parse 4.0.0,
// spdx-correct 3.2.0, spdx-satisfies 6.0.0 (which takes an array of approved ids).
declare module 'spdx-expression-parse' {
  interface SpdxLicenseNode {
    readonly license: string;
    readonly plus?: true;
    readonly exception?: string;
  }
  interface SpdxConjunctionNode {
    readonly conjunction: 'and' | 'or';
    readonly left: SpdxNode;
    readonly right: SpdxNode;
  }
  type SpdxNode = SpdxLicenseNode | SpdxConjunctionNode;
  function parse(expression: string): SpdxNode;
  export = parse;
}

declare module 'spdx-correct' {
  function correct(value: string, options?: { upgrade?: boolean }): string | null;
  export = correct;
}

declare module 'spdx-satisfies' {
  function satisfies(expression: string, approved: readonly string[]): boolean;
  export = satisfies;
}
