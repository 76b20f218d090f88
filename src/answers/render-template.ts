import { AppError } from '../shared/errors.ts';

export class TemplateError extends AppError {
  constructor(message: string) {
    super('TEMPLATE_FIELD_MISSING', message);
  }
}

export type TemplateContext = { readonly [key: string]: string | number | TemplateContext | undefined };

/** Fills `{{path}}` placeholders; templates hold no logic, and a missing field is an error. */
export function renderTemplate(template: string, context: TemplateContext): string {
  return template.replace(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g, (_, path: string) => {
    let value: unknown = context;
    for (const key of path.split('.')) {
      value =
        value !== null && typeof value === 'object' && Object.hasOwn(value, key)
          ? (value as Record<string, unknown>)[key]
          : undefined;
    }
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new TemplateError(`template field ${path} is not available`);
    return String(value);
  });
}

export function templateFields(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g)].map((m) => m[1]!);
}
