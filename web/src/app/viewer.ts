import { useAppSelector } from '../store';
import type { Viewer } from './access';

/** The signed-in role, or `guest`. */
export const useViewer = (): Viewer => useAppSelector((state) => state.session.auth?.role ?? 'guest');
