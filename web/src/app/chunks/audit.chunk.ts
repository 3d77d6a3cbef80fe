// The auditor's pages, one lazy chunk.
export { AuditLogPage } from '../../audit/AuditLogPage';
export { AuditOrderPage } from '../../audit/AuditOrderPage';
export { StreamPage } from '../../audit/StreamPage';
export { VerifyPage } from '../../audit/VerifyPage';
