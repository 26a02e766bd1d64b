import {
  Link,
  sidebarConfig,
  useSidebarOpenState,
} from '@backstage/core-components';
import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  root: {
    height: 3 * sidebarConfig.logoHeight,
    display: 'flex',
    alignItems: 'center',
    marginBottom: -14,
    paddingLeft: 22,
  },
  wordmark: {
    color: '#fff',
    fontWeight: 700,
    fontSize: 18,
    lineHeight: 1.1,
    marginLeft: 10,
    whiteSpace: 'nowrap',
  },
});

/** Card-and-ledger mark; the wordmark shows when the sidebar is open. */
const Mark = () => (
  <svg width="30" height="30" viewBox="0 0 32 32" aria-hidden="true">
    <rect width="32" height="32" rx="6" fill="#1f5fd1" />
    <rect
      x="5"
      y="9"
      width="22"
      height="15"
      rx="2.5"
      fill="none"
      stroke="#fff"
      strokeWidth="2"
    />
    <rect x="5" y="13" width="22" height="3" fill="#fff" />
    <rect x="8" y="19" width="7" height="2" rx="1" fill="#7fd1ae" />
  </svg>
);

export const SidebarLogo = () => {
  const classes = useStyles();
  const { isOpen } = useSidebarOpenState();
  return (
    <div className={classes.root}>
      <Link
        to="/"
        underline="none"
        aria-label="Home"
        style={{ display: 'flex', alignItems: 'center' }}
      >
        <Mark />
        {isOpen && (
          <span className={classes.wordmark}>
            Payments
            <br />
            Platform
          </span>
        )}
      </Link>
    </div>
  );
};
