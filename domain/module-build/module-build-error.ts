// Errors as values, as everywhere in domain/: a stable code to branch on and a message a person can act on.

export interface ModuleBuildError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type ModuleBuildResult<T> = ({ ok: true } & T) | { ok: false; error: ModuleBuildError };

export function moduleBuildError(code: string, message: string, details?: Record<string, unknown>): ModuleBuildError {
  return details ? { code, message, details } : { code, message };
}
