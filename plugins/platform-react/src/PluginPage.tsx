import { ReactNode } from 'react';
import Box from '@mui/material/Box';
import { Content, Header, Page } from '@backstage/core-components';

/** A plugin page's body in the new frontend system, whose page layout draws the header. */
export const PageBody = (props: { children: ReactNode }) => (
  <Box sx={{ p: 3 }}>{props.children}</Box>
);

/** A plugin page for apps on the legacy frontend system, which expect a page with its header. */
export const StandalonePage = (props: {
  title: string;
  subtitle: string;
  children: ReactNode;
}) => (
  <Page themeId="tool">
    <Header title={props.title} subtitle={props.subtitle} />
    <Content>{props.children}</Content>
  </Page>
);
