import '@testing-library/jest-dom';
import { installResizeObserver } from './__testUtils__/jsdom';

installResizeObserver();
