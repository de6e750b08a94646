/**
 * Parsing for SAML assertions: one DOM library (@xmldom/xmldom, the line xml-crypto itself
 * uses). A document type declaration or an entity is refused before any parsing, so no DTD,
 * internal or external entity is ever expanded; any parse error or warning makes the document
 * unreadable, so nothing is read from what xmldom would recover.
 */
import { DOMParser } from '@xmldom/xmldom';

export const SAML_ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export class UnreadableXml extends Error {}

/** True when the text declares a document type or an entity (refused, never parsed). */
export function declaresDoctype(xml: string): boolean {
  return /<!DOCTYPE|<!ENTITY/i.test(xml);
}

/** The parsed document; throws {@link UnreadableXml} for anything not well formed. */
export function parseXml(xml: string): Document {
  const fail = (message: string) => {
    throw new UnreadableXml(message);
  };
  const parser = new DOMParser({ errorHandler: { warning: fail, error: fail, fatalError: fail } });
  let doc: Document;
  try {
    doc = parser.parseFromString(xml, 'text/xml');
  } catch (error) {
    throw error instanceof UnreadableXml ? error : new UnreadableXml(String(error));
  }
  if (!doc?.documentElement) throw new UnreadableXml('no document element');
  return doc;
}

/** The element children of `parent` in namespace `ns` named `localName`, in order. */
export function childElements(parent: Element, ns: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === localName) found.push(node as Element);
  }
  return found;
}

/** Every element of the document in namespace `ns` named `localName`, at any depth. */
export function allElements(doc: Document, ns: string, localName: string): Element[] {
  return Array.from(doc.getElementsByTagNameNS(ns, localName) as unknown as ArrayLike<Element>);
}

/** Every element of the document (the document element included). */
export function everyElement(doc: Document): Element[] {
  return Array.from(doc.getElementsByTagName('*') as unknown as ArrayLike<Element>);
}
