/**
 * `import 'deploykit/testing/jest'` (e.g. in jest's `setupFilesAfterEnv`) registers deploykit's matchers on
 * jest's global `expect`.
 */
import { setupMatchers, type ExpectWithExtend } from './matchers';

declare const expect: ExpectWithExtend;

setupMatchers(expect);
