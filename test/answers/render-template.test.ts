import { describe, expect, it } from 'vitest';
import { renderTemplate, templateFields, TemplateError } from '../../src/answers/render-template.ts';

describe('renderTemplate', () => {
  it('fills nested paths and numbers', () => {
    const out = renderTemplate('{{product.name}} 推荐 {{size.pick}} 码, ¥{{product.price}}', {
      product: { name: '纯棉T恤', price: 99 },
      size: { pick: 'M' },
    });
    expect(out).toBe('纯棉T恤 推荐 M 码, ¥99');
  });

  it('tolerates spaces inside the braces', () => {
    expect(renderTemplate('hi {{ name }}', { name: 'Ana' })).toBe('hi Ana');
  });

  it('renders zero and the empty string', () => {
    expect(renderTemplate('[{{a}}][{{b}}]', { a: 0, b: '' })).toBe('[0][]');
  });

  it('leaves text without placeholders unchanged', () => {
    expect(renderTemplate('亲，在的', {})).toBe('亲，在的');
  });

  it('throws TemplateError for a missing field', () => {
    expect(() => renderTemplate('{{product.fabric}}', { product: { name: 'x' } })).toThrow(TemplateError);
  });

  it('throws TemplateError when the path names an object, not a value', () => {
    expect(() => renderTemplate('{{product}}', { product: { name: 'x' } })).toThrow(TemplateError);
  });

  it('does not reach inherited properties', () => {
    expect(() => renderTemplate('{{constructor.name}}', {})).toThrow(TemplateError);
    expect(() => renderTemplate('{{__proto__.x}}', {})).toThrow(TemplateError);
    expect(() => renderTemplate('{{name.length}}', { name: 'abc' })).toThrow(TemplateError);
    expect(() => renderTemplate('{{toString}}', { a: 1 })).toThrow(TemplateError);
  });

  it('runs no code in a placeholder', () => {
    expect(renderTemplate('{{ process.exit() }}', {})).toBe('{{ process.exit() }}');
    expect(renderTemplate('{{a + 1}}', { a: 1 })).toBe('{{a + 1}}');
  });
});

describe('templateFields', () => {
  it('lists the fields a template uses, in order', () => {
    expect(templateFields('{{product.name}} {{ size }} {{product.name}}')).toEqual([
      'product.name',
      'size',
      'product.name',
    ]);
  });

  it('lists nothing for a template without fields', () => {
    expect(templateFields('亲，在的')).toEqual([]);
  });
});
