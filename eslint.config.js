import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", ".bench-dist/**", "node_modules/**", "coverage/**", ".gitops-guard/**", "bin/**", "*.config.js", "test/summary-reporter.js"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
