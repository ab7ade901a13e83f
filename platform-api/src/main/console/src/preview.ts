/** Types and helpers of the tester-account and preview screens (issue 19), kept apart from the shared api.ts. */

export interface TesterAccount {
  wallet: string;
  userId: string;
  createdAt?: string;
}

export interface WorkspaceTester {
  member: string;
  memberName?: string;
  wallet: string;
  userId: string;
  createdAt: string;
}

export interface Preview {
  id: string;
  appId: string;
  wallet: string;
  sha256: string;
  size: number;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  ticketExpiresAt: string;
}

/** The answer that issues a ticket: the only time the ticket, deep link and QR codes are shown. */
export interface IssuedPreview {
  id: string;
  appId: string;
  wallet: string;
  sha256: string;
  size: number;
  expiresAt: string;
  ticket: string;
  ticketExpiresAt: string;
  deepLink: string;
  qrPng: string;
  qrSvg: string;
}

/** "1:02:03" until {@code until} as seen at {@code now}; "0:00:00" once past. */
export function countdown(until: string, now: number): string {
  const left = Math.max(0, Math.floor((Date.parse(until) - now) / 1000));
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
