// "Team settings": the MUI page of the widgets test app. Every control is a
// stock @mui/material component written the way the MUI documentation shows
// it (Basic select, Combo box, Checkbox group in a fieldset, Switch with a
// FormControlLabel, Form dialog, Basic menu, Basic tabs, Table with a
// caption, File upload button); nothing here is shaped to suit clickpath.
//
// `__DRIFT__` (an esbuild define) builds the drifted UI of dist-drift/:
// the role option "Billing manager" reads "Billing admin", and "Invite user"
// moves into a "More" menu.
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Container from '@mui/material/Container';
import CssBaseline from '@mui/material/CssBaseline';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import InputLabel from '@mui/material/InputLabel';
import Link from '@mui/material/Link';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Select from '@mui/material/Select';
import Snackbar from '@mui/material/Snackbar';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Tab from '@mui/material/Tab';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { styled } from '@mui/material/styles';
import { mountTopBar } from './topbar.js';


// The role picker's options (drift renames one).
const ROLES = ['Viewer', 'Member', __DRIFT__ ? 'Billing admin' : 'Billing manager', 'Admin'];

const COUNTRIES = [
  'Australia',
  'Canada',
  'France',
  'Germany',
  'Ireland',
  'New Caledonia',
  'New Zealand',
  'United Kingdom',
  'United States',
];

const FIRST_MEMBERS = [
  { name: 'Jane Cooper', email: 'jane@acme.example', team: 'Support', country: 'Canada', role: 'Admin', status: 'Active', twoStep: true },
  { name: 'Robert Fox', email: 'robert@acme.example', team: 'Sales', country: 'Ireland', role: 'Member', status: 'Active', twoStep: true },
  { name: 'Wade Warren', email: 'wade@acme.example', team: 'Finance', country: 'Australia', role: 'Viewer', status: 'Active', twoStep: false },
];

// Django admin's boolean icons: a green tick or a red cross, the meaning only
// in the alt text.
function BooleanIcon({ value }) {
  return <img src={value ? 'icon-yes.svg' : 'icon-no.svg'} alt={value ? 'True' : 'False'} width="13" height="13" />;
}

function TabPanel({ children, value, index, ...other }) {
  return (
    <div role="tabpanel" hidden={value !== index} id={`tabpanel-${index}`} aria-labelledby={`tab-${index}`} {...other}>
      {value === index && <Box sx={{ p: 3 }}>{children}</Box>}
    </div>
  );
}

function a11yProps(index) {
  return { id: `tab-${index}`, 'aria-controls': `tabpanel-${index}` };
}

// MUI "Basic menu", one per table row.
function RowActions({ member, onRemove }) {
  const [anchorEl, setAnchorEl] = React.useState(null);
  const open = Boolean(anchorEl);
  const id = member.email.replace(/[^a-z0-9]/gi, '-');
  const close = () => setAnchorEl(null);
  return (
    <>
      <Button
        id={`actions-button-${id}`}
        size="small"
        aria-controls={open ? `actions-menu-${id}` : undefined}
        aria-haspopup="true"
        aria-expanded={open ? 'true' : undefined}
        onClick={(e) => setAnchorEl(e.currentTarget)}
      >
        Actions
      </Button>
      <Menu
        id={`actions-menu-${id}`}
        anchorEl={anchorEl}
        open={open}
        onClose={close}
        slotProps={{ list: { 'aria-labelledby': `actions-button-${id}` } }}
      >
        <MenuItem onClick={close}>Resend invitation</MenuItem>
        <MenuItem
          onClick={() => {
            close();
            onRemove(member);
          }}
        >
          Remove user
        </MenuItem>
      </Menu>
    </>
  );
}

// The drifted build's "More" menu, holding "Invite user". `keepMounted`
// (documented in the Menu API: "Always keep the children in the DOM") keeps
// the item in the page while the menu is closed.
function MoreMenu({ onInvite }) {
  const [anchorEl, setAnchorEl] = React.useState(null);
  const open = Boolean(anchorEl);
  const close = () => setAnchorEl(null);
  return (
    <>
      <Button
        id="more-button"
        variant="outlined"
        aria-controls={open ? 'more-menu' : undefined}
        aria-haspopup="true"
        aria-expanded={open ? 'true' : undefined}
        onClick={(e) => setAnchorEl(e.currentTarget)}
      >
        More
      </Button>
      <Menu id="more-menu" anchorEl={anchorEl} open={open} onClose={close} keepMounted slotProps={{ list: { 'aria-labelledby': 'more-button' } }}>
        <MenuItem
          onClick={() => {
            close();
            onInvite();
          }}
        >
          Invite user
        </MenuItem>
        <MenuItem onClick={close}>Download CSV</MenuItem>
      </Menu>
    </>
  );
}

// MUI "Form dialog": React-controlled text fields, two of them prefilled.
function InviteDialog({ open, onClose, onInvite }) {
  const blank = {
    first: '',
    last: '',
    email: '',
    team: 'Support',
    role: 'Member',
    country: null,
    message: 'Hi! You have been invited to join the Acme team.',
  };
  const [form, setForm] = React.useState(blank);
  React.useEffect(() => {
    if (open) setForm(blank);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  const set = (key) => (event) => setForm({ ...form, [key]: event.target.value });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      slotProps={{
        paper: {
          component: 'form',
          onSubmit: (event) => {
            event.preventDefault();
            onInvite(form);
          },
        },
      }}
    >
      <DialogTitle>Invite user</DialogTitle>
      <DialogContent>
        <DialogContentText>They get an email with a link to join your team.</DialogContentText>
        <TextField autoFocus margin="dense" id="first-name" label="First name" fullWidth variant="standard" value={form.first} onChange={set('first')} />
        <TextField margin="dense" id="last-name" label="Last name" fullWidth variant="standard" value={form.last} onChange={set('last')} />
        <TextField required margin="dense" id="email" label="Email address" type="email" fullWidth variant="standard" value={form.email} onChange={set('email')} />
        <TextField margin="dense" id="team" label="Team" fullWidth variant="standard" value={form.team} onChange={set('team')} />
        <FormControl fullWidth margin="dense">
          <InputLabel id="invite-role-label">Role</InputLabel>
          <Select labelId="invite-role-label" id="invite-role" value={form.role} label="Role" onChange={set('role')}>
            {ROLES.map((r) => (
              <MenuItem key={r} value={r}>
                {r}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <Autocomplete
          disablePortal
          id="invite-country"
          options={COUNTRIES}
          value={form.country}
          onChange={(_event, value) => setForm({ ...form, country: value })}
          sx={{ mt: 1 }}
          renderInput={(params) => <TextField {...params} label="Country" />}
        />
        <TextField margin="dense" id="message" label="Welcome message" fullWidth multiline minRows={2} value={form.message} onChange={set('message')} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="contained">
          Send invite
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function RemoveDialog({ member, onCancel, onConfirm }) {
  return (
    <Dialog open={Boolean(member)} onClose={onCancel} aria-labelledby="remove-title">
      <DialogTitle id="remove-title">{member ? `Remove ${member.name}?` : ''}</DialogTitle>
      <DialogContent>
        <DialogContentText>They lose access to the Acme team at once.</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button color="error" variant="contained" onClick={onConfirm}>
          Remove
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function MembersPanel({ notify }) {
  const [members, setMembers] = React.useState(FIRST_MEMBERS);
  const [inviting, setInviting] = React.useState(false);
  const [removing, setRemoving] = React.useState(null);
  const setRole = (member, role) => {
    setMembers(members.map((m) => (m.email === member.email ? { ...m, role } : m)));
    notify(`${member.name} is now ${/^[AEIOU]/.test(role) ? 'an' : 'a'} ${role}`);
  };
  return (
    <>
      <Typography sx={{ mb: 2 }}>
        Not sure which role to give? Read{' '}
        <Link href="help.html#roles" target="_blank" rel="noopener">
          About roles
        </Link>{' '}
        (opens in a new tab).
      </Typography>
      <Stack direction="row" spacing={2} sx={{ mb: 2 }}>
        {__DRIFT__ ? (
          <MoreMenu onInvite={() => setInviting(true)} />
        ) : (
          <Button variant="contained" onClick={() => setInviting(true)}>
            Invite user
          </Button>
        )}
      </Stack>
      <TableContainer component={Paper}>
        <Table size="small">
          <caption>Team members</caption>
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Email</TableCell>
              <TableCell>Team</TableCell>
              <TableCell>Country</TableCell>
              <TableCell>Role</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Two-step verification</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {members.map((m) => (
              <TableRow key={m.email}>
                <TableCell component="th" scope="row">
                  {m.name}
                </TableCell>
                <TableCell>{m.email}</TableCell>
                <TableCell>{m.team}</TableCell>
                <TableCell>{m.country ?? ''}</TableCell>
                <TableCell>
                  <Select size="small" value={m.role} onChange={(e) => setRole(m, e.target.value)} inputProps={{ 'aria-label': 'Role' }}>
                    {ROLES.map((r) => (
                      <MenuItem key={r} value={r}>
                        {r}
                      </MenuItem>
                    ))}
                  </Select>
                </TableCell>
                <TableCell>{m.status}</TableCell>
                <TableCell>
                  <BooleanIcon value={m.twoStep} />
                </TableCell>
                <TableCell>
                  <RowActions member={m} onRemove={setRemoving} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      <InviteDialog
        open={inviting}
        onClose={() => setInviting(false)}
        onInvite={(f) => {
          const name = `${f.first} ${f.last}`.trim();
          setMembers([
            ...members,
            { name, email: f.email, team: f.team, country: f.country, role: f.role, status: 'Invited', twoStep: false },
          ]);
          setInviting(false);
          notify(`Invitation sent to ${f.email}`);
        }}
      />
      <RemoveDialog
        member={removing}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          setMembers(members.filter((m) => m.email !== removing.email));
          notify(`${removing.name} was removed from the team`);
          setRemoving(null);
        }}
      />
    </>
  );
}

// MUI "Checkbox group" (FormControl as a fieldset, FormLabel as its legend)
// and "Switch" with a FormControlLabel.
function NotificationsPanel({ notify }) {
  const [email, setEmail] = React.useState({ joins: false, summary: true, news: false });
  const [twoStep, setTwoStep] = React.useState(false);
  const [sessions, setSessions] = React.useState(true);
  const toggle = (event) => setEmail({ ...email, [event.target.name]: event.target.checked });
  return (
    <Stack spacing={3} alignItems="flex-start">
      <FormControl component="fieldset" variant="standard">
        <FormLabel component="legend">Email notifications</FormLabel>
        <FormGroup>
          <FormControlLabel control={<Checkbox checked={email.joins} onChange={toggle} name="joins" />} label="Someone joins the team" />
          <FormControlLabel control={<Checkbox checked={email.summary} onChange={toggle} name="summary" />} label="Weekly summary" />
          <FormControlLabel control={<Checkbox checked={email.news} onChange={toggle} name="news" />} label="Product news" />
        </FormGroup>
        <FormHelperText>We send these to each team member.</FormHelperText>
      </FormControl>
      <FormControl component="fieldset" variant="standard">
        <FormLabel component="legend">Security</FormLabel>
        <FormGroup>
          <FormControlLabel control={<Switch checked={twoStep} onChange={(e) => setTwoStep(e.target.checked)} />} label="Require two-step verification" />
          <FormControlLabel control={<Switch checked={sessions} onChange={(e) => setSessions(e.target.checked)} />} label="Sign out idle sessions" />
        </FormGroup>
      </FormControl>
      <Button variant="contained" onClick={() => notify('Notification settings saved')}>
        Save settings
      </Button>
    </Stack>
  );
}

// A plain contenteditable message box (as rich-text editors render one) with
// a one-button toolbar.
function AnnouncementsPanel({ notify }) {
  const box = React.useRef(null);
  const [posted, setPosted] = React.useState([]);
  return (
    <Stack spacing={2} alignItems="flex-start">
      <Typography id="message-label" component="label" variant="subtitle1">
        Message
      </Typography>
      <Stack direction="row" spacing={1} role="toolbar" aria-label="Formatting">
        <Button size="small" variant="outlined" onMouseDown={(e) => e.preventDefault()} onClick={() => document.execCommand('bold')}>
          Bold
        </Button>
      </Stack>
      <div
        ref={box}
        className="message-box"
        contentEditable
        suppressContentEditableWarning
        role="textbox"
        aria-multiline="true"
        aria-labelledby="message-label"
        data-placeholder="Write something to the whole team"
      />
      <Button
        variant="contained"
        onClick={() => {
          const text = box.current.innerText.trim();
          if (!text) {
            notify('Write a message first');
            return;
          }
          setPosted([...posted, text]);
          box.current.innerHTML = '';
          notify('Announcement posted');
        }}
      >
        Post announcement
      </Button>
      <Typography variant="h6" component="h2">
        Posted announcements
      </Typography>
      <ul aria-label="Posted announcements">
        {posted.map((p, i) => (
          <li key={i}>{p}</li>
        ))}
      </ul>
    </Stack>
  );
}

// MUI "File upload": a Button rendered as a <label> around a visually
// hidden file input.
const VisuallyHiddenInput = styled('input')({
  clip: 'rect(0 0 0 0)',
  clipPath: 'inset(50%)',
  height: 1,
  overflow: 'hidden',
  position: 'absolute',
  bottom: 0,
  left: 0,
  whiteSpace: 'nowrap',
  width: 1,
});

function BrandingPanel({ notify }) {
  const [logo, setLogo] = React.useState(null);
  return (
    <Stack spacing={2} alignItems="flex-start">
      <Typography>Your logo appears in the invitation emails.</Typography>
      <Button component="label" role={undefined} variant="contained" tabIndex={-1}>
        Upload logo
        <VisuallyHiddenInput
          type="file"
          accept="image/png,image/svg+xml"
          onChange={(event) => {
            const file = event.target.files[0];
            if (!file) return;
            setLogo({ name: file.name, size: file.size, url: URL.createObjectURL(file) });
            notify(`${file.name} uploaded`);
          }}
        />
      </Button>
      {logo && (
        <>
          <Typography>
            {logo.name} ({logo.size} bytes)
          </Typography>
          <img src={logo.url} alt="Team logo preview" height="48" />
        </>
      )}
    </Stack>
  );
}

function ShortcutsDialog({ open, onClose }) {
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="shortcuts-title">
      <DialogTitle id="shortcuts-title">Keyboard shortcuts</DialogTitle>
      <DialogContent>
        <DialogContentText>Press ? anywhere to show this list. Press I to invite a user.</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

function App() {
  const [tab, setTab] = React.useState(0);
  const [message, setMessage] = React.useState(null);
  const [shortcuts, setShortcuts] = React.useState(false);
  const notify = (text) => setMessage(text);
  React.useEffect(() => {
    const show = () => setShortcuts(true);
    window.addEventListener('show-shortcuts', show);
    return () => window.removeEventListener('show-shortcuts', show);
  }, []);
  return (
    <>
      <CssBaseline />
      <Container component="main" maxWidth="lg" sx={{ mt: 3 }}>
        <Typography variant="h4" component="h1" gutterBottom>
          Team settings
        </Typography>
        <Box sx={{ borderBottom: 1, borderColor: 'divider' }}>
          <Tabs value={tab} onChange={(_e, v) => setTab(v)} aria-label="Team settings sections">
            <Tab label="Members" {...a11yProps(0)} />
            <Tab label="Notifications" {...a11yProps(1)} />
            <Tab label="Announcements" {...a11yProps(2)} />
            <Tab label="Branding" {...a11yProps(3)} />
          </Tabs>
        </Box>
        <TabPanel value={tab} index={0}>
          <MembersPanel notify={notify} />
        </TabPanel>
        <TabPanel value={tab} index={1}>
          <NotificationsPanel notify={notify} />
        </TabPanel>
        <TabPanel value={tab} index={2}>
          <AnnouncementsPanel notify={notify} />
        </TabPanel>
        <TabPanel value={tab} index={3}>
          <BrandingPanel notify={notify} />
        </TabPanel>
      </Container>
      <ShortcutsDialog open={shortcuts} onClose={() => setShortcuts(false)} />
      <Snackbar open={Boolean(message)} autoHideDuration={null} onClose={() => setMessage(null)}>
        <Alert severity="success" variant="filled" onClose={() => setMessage(null)}>
          {message}
        </Alert>
      </Snackbar>
    </>
  );
}

mountTopBar('Team settings');
createRoot(document.getElementById('root')).render(<App />);
