// Types for the generated standalone validator (scripts/generate-validator.mjs).
import type { ErrorObject } from "ajv";

declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export default validate;
