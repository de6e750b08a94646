/**
 * An identity provider's signing certificates: PEM or bare base64 DER on the way in, one PEM
 * each as stored. A certificate that does not parse, or whose validity ended, is refused on
 * write; the grant checks the validity again at each use, so one that expired since it was
 * stored verifies nothing.
 */
import { X509Certificate } from 'node:crypto';

const PEM = /^-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----$/;

/** The certificate as PEM, or null when it is not one X.509 certificate. */
export function parseCertificate(text: string): X509Certificate | null {
  const trimmed = text.trim();
  const body = PEM.exec(trimmed)?.[1] ?? trimmed;
  const base64 = body.replace(/\s+/g, '');
  if (base64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  try {
    return new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    return null;
  }
}

/** Whether `now` (epoch ms) falls within the certificate's validity. */
export function certificateValidAt(certificate: X509Certificate, now: number): boolean {
  return Date.parse(certificate.validFrom) <= now && now <= Date.parse(certificate.validTo);
}

/** Has the certificate's validity ended by `now`? */
export function certificateExpired(certificate: X509Certificate, now: number): boolean {
  return Date.parse(certificate.validTo) < now;
}
