import type { JsonSchema } from '../api/types';

export type FieldControl = 'text' | 'integer' | 'number' | 'boolean' | 'select' | 'lines' | 'json';

/** One input of a form generated from an upstream kind's settings schema. */
export interface SchemaField {
  name: string;
  label: string;
  control: FieldControl;
  required: boolean;
  description?: string;
  placeholder?: string;
  options?: string[];
  defaultValue?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

export type FormValues = Record<string, string | boolean>;

function primaryType(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) {
    return schema.type.find((t) => t !== 'null');
  }
  return schema.type;
}

/** `probePath` → `Probe path`; a schema's `title` wins. */
export function labelFor(name: string, schema: JsonSchema): string {
  if (schema.title) {
    return schema.title;
  }
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function controlFor(schema: JsonSchema): FieldControl {
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) {
    return 'select';
  }
  switch (primaryType(schema)) {
    case 'string':
      return 'text';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return schema.items && primaryType(schema.items) === 'string' ? 'lines' : 'json';
    default:
      return 'json';
  }
}

/** The inputs for the top-level properties of a settings schema, in the schema's order. */
export function fieldsOf(schema: JsonSchema | undefined): SchemaField[] {
  const properties = schema?.properties ?? {};
  const required = new Set(schema?.required ?? []);
  return Object.entries(properties).map(([name, property]) => {
    const control = controlFor(property);
    const example = Array.isArray(property.examples) && property.examples.length ? property.examples[0] : undefined;
    const shownDefault = property.default !== undefined ? property.default : example;
    return {
      name,
      label: labelFor(name, property),
      control,
      required: required.has(name),
      description: property.description,
      placeholder: shownDefault === undefined || control === 'boolean' ? undefined
        : typeof shownDefault === 'string' ? shownDefault : JSON.stringify(shownDefault),
      options: control === 'select' ? (property.enum as string[]) : undefined,
      defaultValue: property.default,
      minimum: property.minimum,
      maximum: property.maximum,
      maxLength: property.maxLength,
    };
  });
}

/** The form's values for stored `settings`; absent settings are empty, so the kind's defaults keep applying. */
export function valuesFrom(fields: SchemaField[], settings: Record<string, unknown> = {}): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const value = settings[field.name];
    if (field.control === 'boolean') {
      values[field.name] = typeof value === 'boolean' ? value : field.defaultValue === true;
    } else if (value === undefined || value === null) {
      values[field.name] = '';
    } else if (field.control === 'lines' && Array.isArray(value)) {
      values[field.name] = value.join('\n');
    } else if (field.control === 'json') {
      values[field.name] = JSON.stringify(value, null, 2);
    } else {
      values[field.name] = String(value);
    }
  }
  return values;
}

/**
 * The settings object for the form's values, leaving out empty optional fields (and booleans at their default),
 * with a message per field whose text cannot be the type the schema asks for. What the value may be otherwise is
 * the server's to judge, and its answer is shown beside the field.
 */
export function settingsFrom(fields: SchemaField[], values: FormValues):
  { settings: Record<string, unknown>; errors: Record<string, string> } {
  const settings: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.name];
    if (field.control === 'boolean') {
      const checked = raw === true;
      if (field.required || checked !== (field.defaultValue === true)) {
        settings[field.name] = checked;
      }
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') {
      continue;
    }
    switch (field.control) {
      case 'integer':
        if (!/^-?\d+$/.test(text)) {
          errors[field.name] = 'must be a whole number';
        } else {
          settings[field.name] = Number(text);
        }
        break;
      case 'number':
        if (Number.isNaN(Number(text))) {
          errors[field.name] = 'must be a number';
        } else {
          settings[field.name] = Number(text);
        }
        break;
      case 'lines':
        settings[field.name] = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
        break;
      case 'json':
        try {
          settings[field.name] = JSON.parse(text);
        } catch {
          errors[field.name] = 'must be JSON';
        }
        break;
      default:
        settings[field.name] = text;
    }
  }
  return { settings, errors };
}

/** Module path hints from a text area: one pattern a line, or comma-separated as in GOPRIVATE. */
export function hintsFrom(text: string): string[] {
  return text.split(/[\n,]/).map((h) => h.trim()).filter((h) => h !== '');
}
