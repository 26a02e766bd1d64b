import '@testing-library/jest-dom';
import { installResizeObserver } from '@internal/platform-react/testUtils/jsdom';

installResizeObserver();
