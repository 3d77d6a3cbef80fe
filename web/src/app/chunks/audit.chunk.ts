// The auditor's pages and their styles, one lazy chunk.
import '../../audit/audit.css';
export { AuditLogPage } from '../../audit/AuditLogPage';
export { AuditOrderPage } from '../../audit/AuditOrderPage';
export { StreamPage } from '../../audit/StreamPage';
export { VerifyPage } from '../../audit/VerifyPage';
