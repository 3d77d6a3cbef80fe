export type Role = 'shopper' | 'admin' | 'auditor' | 'analyst';

export interface Credentials {
  email: string;
  password: string;
}

export interface LoginResponse {
  token: string;
  role: Role;
  customerId?: string;
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stockAvailable: number;
  version: number;
}

export interface ProductPage {
  items: Product[];
  nextCursor: string | null;
}

export interface NewProduct {
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  initialStock: number;
}

export interface Created {
  id: string;
  /** Read-model position of the write, from the `Consistency-Token` response header. */
  consistencyToken: string | null;
}

/** RFC 9457 problem details, as sent by the services. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
}
