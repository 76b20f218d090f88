/**
 * WeCom's callback XML is flat and small: `<Tag><![CDATA[value]]></Tag>` or `<Tag>value</Tag>`.
 * The few tags xiaoer reads are picked out directly rather than with an XML parser.
 */
export function xmlField(xml: string, tag: string): string | undefined {
  const open = `<${tag}>`;
  const start = xml.indexOf(open);
  if (start < 0) return undefined;
  const end = xml.indexOf(`</${tag}>`, start + open.length);
  if (end < 0) return undefined;
  const inner = xml.slice(start + open.length, end).trim();
  return inner.startsWith('<![CDATA[') && inner.endsWith(']]>') ? inner.slice(9, -3) : inner;
}
