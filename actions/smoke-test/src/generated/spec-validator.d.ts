// Types of the generated standalone validator (see scripts/generate-validators.js).
import type { ErrorObject } from 'ajv';

export interface SpecValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
export const validate: SpecValidator;
export default validate;
