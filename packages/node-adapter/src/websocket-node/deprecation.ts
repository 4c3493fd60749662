/** WebSocket-Node's deprecation-warning registry (empty in 1.0.35: nothing is deprecated). */
export interface Deprecation {
  disableWarnings: boolean;
  deprecationWarningMap: Record<string, string | false>;
  warn(deprecationName: string): void;
}

export const deprecation: Deprecation = {
  disableWarnings: false,
  deprecationWarningMap: {},
  warn(deprecationName: string): void {
    const message = this.deprecationWarningMap[deprecationName];
    if (!this.disableWarnings && message) {
      console.warn(`DEPRECATION WARNING: ${message}`);
      this.deprecationWarningMap[deprecationName] = false;
    }
  },
};
