<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect to Qlik</source>
        <translation>Mit Qlik verbinden</translation>
    </message>
    <message>
        <source>Type the address of your Qlik Cloud tenant or Qlik Sense site. You sign in next, in the viewer&apos;s window.</source>
        <translation>Geben Sie die Adresse Ihres Qlik-Cloud-Tenants oder Ihrer Qlik-Sense-Site ein. Danach melden Sie sich im Fenster des Viewers an.</translation>
    </message>
    <message>
        <source>Tenant address</source>
        <translation>Tenant-Adresse</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Looking for Qlik at that address…</source>
        <translation>Qlik wird unter dieser Adresse gesucht…</translation>
    </message>
    <message>
        <source>The profile could not be written:
</source>
        <translation>Das Profil konnte nicht gespeichert werden:
</translation>
    </message>
    <message>
        <source>The profile could not be written: </source>
        <translation>Das Profil konnte nicht gespeichert werden: </translation>
    </message>
    <message>
        <source>Found {0}. Starting…</source>
        <translation>{0} gefunden. Wird gestartet…</translation>
    </message>
</context>
<context>
    <name>CountdownLabel</name>
    <message>
        <source>Next attempt in {seconds} s</source>
        <translation>Nächster Versuch in {seconds} s</translation>
    </message>
    <message>
        <source>Trying again now…</source>
        <translation>Neuer Versuch läuft…</translation>
    </message>
</context>
<context>
    <name>DiagnosticsWindow</name>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Detail / next step</source>
        <translation>Details / nächster Schritt</translation>
    </message>
    <message>
        <source>Checking the connection to Qlik…</source>
        <translation>Die Verbindung zu Qlik wird geprüft…</translation>
    </message>
    <message>
        <source>Every check passed.</source>
        <translation>Alle Prüfungen bestanden.</translation>
    </message>
    <message>
        <source>Failed: {steps}</source>
        <translation>Fehlgeschlagen: {steps}</translation>
    </message>
</context>
<context>
    <name>HubWindow</name>
    <message>
        <source>Apps — {product}</source>
        <translation>Apps — {product}</translation>
    </message>
    <message>
        <source>Search apps</source>
        <translation>Apps suchen</translation>
    </message>
    <message>
        <source>App</source>
        <translation>App</translation>
    </message>
    <message>
        <source>Space / stream</source>
        <translation>Bereich / Stream</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Eigentümer</translation>
    </message>
    <message>
        <source>Last reload</source>
        <translation>Zuletzt neu geladen</translation>
    </message>
    <message>
        <source>Loading the apps…</source>
        <translation>Apps werden geladen…</translation>
    </message>
    <message>
        <source>{count} apps</source>
        <translation>{count} Apps</translation>
    </message>
    <message>
        <source>{app}: {count} sheets</source>
        <translation>{app}: {count} Arbeitsblätter</translation>
    </message>
    <message>
        <source>Loading the sheets…</source>
        <translation>Arbeitsblätter werden geladen…</translation>
    </message>
</context>
<context>
    <name>ProfilePicker</name>
    <message>
        <source>Switch profile</source>
        <translation>Profil wechseln</translation>
    </message>
    <message>
        <source>{0} (current)</source>
        <translation>{0} (aktuell)</translation>
    </message>
    <message>
        <source>The window closes and opens again on the chosen profile.</source>
        <translation>Das Fenster wird geschlossen und mit dem gewählten Profil neu geöffnet.</translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <source>The view left the sheet.</source>
        <translation>Die Ansicht hat das Arbeitsblatt verlassen.</translation>
    </message>
    <message>
        <source>Sign in to Qlik to see the sheet.</source>
        <translation>Melden Sie sich bei Qlik an, um das Arbeitsblatt zu sehen.</translation>
    </message>
    <message>
        <source>Signing in failed with a server error; the tenant is not available right now.</source>
        <translation>Die Anmeldung ist an einem Serverfehler gescheitert; der Tenant ist zurzeit nicht erreichbar.</translation>
    </message>
    <message>
        <source>Cannot connect to the server.</source>
        <translation>Keine Verbindung zum Server möglich.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted (check network.ca_bundle).</source>
        <translation>Dem Zertifikat des Servers wird nicht vertraut (network.ca_bundle prüfen).</translation>
    </message>
    <message>
        <source>The server speaks plain HTTP, not HTTPS (check tenant.base_url).</source>
        <translation>Der Server spricht einfaches HTTP, nicht HTTPS (tenant.base_url prüfen).</translation>
    </message>
    <message>
        <source>The configured CA bundle cannot be read (check network.ca_bundle).</source>
        <translation>Das konfigurierte CA-Bündel ist nicht lesbar (network.ca_bundle prüfen).</translation>
    </message>
    <message>
        <source>The engine address is not valid (check tenant.base_url).</source>
        <translation>Die Engine-Adresse ist ungültig (tenant.base_url prüfen).</translation>
    </message>
    <message>
        <source>The app does not exist or you cannot see it (check tenant.app_id).</source>
        <translation>Die App existiert nicht oder ist für Sie nicht sichtbar (tenant.app_id prüfen).</translation>
    </message>
    <message>
        <source>The app has no such sheet (check tenant.sheet_id).</source>
        <translation>Die App hat kein solches Arbeitsblatt (tenant.sheet_id prüfen).</translation>
    </message>
    <message>
        <source>The sign-in settings cannot be used (run viewer check).</source>
        <translation>Die Anmeldeeinstellungen sind nicht verwendbar (viewer check ausführen).</translation>
    </message>
    <message>
        <source>The server refused the client certificate.</source>
        <translation>Der Server hat das Client-Zertifikat abgelehnt.</translation>
    </message>
    <message>
        <source>The server rejected the credentials (run viewer check).</source>
        <translation>Der Server hat die Anmeldedaten abgelehnt (viewer check ausführen).</translation>
    </message>
    <message>
        <source>The viewer ended the session.</source>
        <translation>Der Viewer hat die Sitzung beendet.</translation>
    </message>
    <message>
        <source>The server stopped answering.</source>
        <translation>Der Server antwortet nicht mehr.</translation>
    </message>
    <message>
        <source>The connection to the server was lost.</source>
        <translation>Die Verbindung zum Server wurde unterbrochen.</translation>
    </message>
    <message>
        <source>The server ended the session.</source>
        <translation>Der Server hat die Sitzung beendet.</translation>
    </message>
    <message>
        <source>The server refused the connection (policy violation).</source>
        <translation>Der Server hat die Verbindung abgelehnt (Richtlinienverstoß).</translation>
    </message>
    <message>
        <source>A message was too large for the server.</source>
        <translation>Eine Nachricht war zu groß für den Server.</translation>
    </message>
    <message>
        <source>The server had an internal error.</source>
        <translation>Auf dem Server ist ein interner Fehler aufgetreten.</translation>
    </message>
    <message>
        <source>The server is restarting.</source>
        <translation>Der Server wird neu gestartet.</translation>
    </message>
    <message>
        <source>The server asked to try again later.</source>
        <translation>Der Server bittet, es später erneut zu versuchen.</translation>
    </message>
    <message>
        <source>The server does not know this address.</source>
        <translation>Der Server kennt diese Adresse nicht.</translation>
    </message>
    <message>
        <source>The server is not available right now.</source>
        <translation>Der Server ist zurzeit nicht erreichbar.</translation>
    </message>
    <message>
        <source>The server gave an unexpected answer.</source>
        <translation>Der Server hat unerwartet geantwortet.</translation>
    </message>
    <message>
        <source>The tenant rejected the request.</source>
        <translation>Der Tenant hat die Anfrage abgelehnt.</translation>
    </message>
    <message>
        <source>You do not have permission to open this app.</source>
        <translation>Sie haben keine Berechtigung, diese App zu öffnen.</translation>
    </message>
    <message>
        <source>The app was not found (check tenant.app_id).</source>
        <translation>Die App wurde nicht gefunden (tenant.app_id prüfen).</translation>
    </message>
    <message>
        <source>The engine is busy.</source>
        <translation>Die Engine ist ausgelastet.</translation>
    </message>
    <message>
        <source>Too many apps are open in the tenant.</source>
        <translation>Im Tenant sind zu viele Apps geöffnet.</translation>
    </message>
    <message>
        <source>No engine is available.</source>
        <translation>Es ist keine Engine verfügbar.</translation>
    </message>
    <message>
        <source>The tenant refused the connection.</source>
        <translation>Der Tenant hat die Verbindung abgelehnt.</translation>
    </message>
    <message>
        <source>No license is available for this user.</source>
        <translation>Für diesen Benutzer ist keine Lizenz verfügbar.</translation>
    </message>
    <message>
        <source>The user&apos;s license must be renewed.</source>
        <translation>Die Lizenz des Benutzers muss erneuert werden.</translation>
    </message>
    <message>
        <source>The user has too many sessions.</source>
        <translation>Der Benutzer hat zu viele Sitzungen.</translation>
    </message>
    <message>
        <source>The sign-in changed.</source>
        <translation>Die Anmeldung hat sich geändert.</translation>
    </message>
    <message>
        <source>The server could not check access rights.</source>
        <translation>Der Server konnte die Zugriffsrechte nicht prüfen.</translation>
    </message>
    <message>
        <source>Access to the app was denied.</source>
        <translation>Der Zugriff auf die App wurde verweigert.</translation>
    </message>
    <message>
        <source>The app could not be opened.</source>
        <translation>Die App konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>The engine refused the session.</source>
        <translation>Die Engine hat die Sitzung abgelehnt.</translation>
    </message>
    <message>
        <source>The server asks you to sign in.</source>
        <translation>Der Server verlangt eine Anmeldung.</translation>
    </message>
    <message>
        <source>Your sign-in has expired.</source>
        <translation>Ihre Anmeldung ist abgelaufen.</translation>
    </message>
    <message>
        <source>The session timed out after inactivity.</source>
        <translation>Die Sitzung ist wegen Inaktivität abgelaufen.</translation>
    </message>
    <message>
        <source>The server closed the session.</source>
        <translation>Der Server hat die Sitzung geschlossen.</translation>
    </message>
    <message>
        <source>You were signed out.</source>
        <translation>Sie wurden abgemeldet.</translation>
    </message>
    <message>
        <source>The license was denied.</source>
        <translation>Die Lizenz wurde verweigert.</translation>
    </message>
    <message>
        <source>Too many parallel sessions for this user.</source>
        <translation>Zu viele parallele Sitzungen für diesen Benutzer.</translation>
    </message>
    <message>
        <source>The proxy lost its connection to the engine.</source>
        <translation>Der Proxy hat die Verbindung zur Engine verloren.</translation>
    </message>
    <message>
        <source>The proxy lost its connection to the repository.</source>
        <translation>Der Proxy hat die Verbindung zum Repository verloren.</translation>
    </message>
    <message>
        <source>No repository service is available.</source>
        <translation>Es ist kein Repository-Dienst verfügbar.</translation>
    </message>
    <message>
        <source>The proxy ended the session.</source>
        <translation>Der Proxy hat die Sitzung beendet.</translation>
    </message>
    <message>
        <source>The sheet could not be loaded.</source>
        <translation>Das Arbeitsblatt konnte nicht geladen werden.</translation>
    </message>
    <message>
        <source>The page stopped working.</source>
        <translation>Die Seite funktioniert nicht mehr.</translation>
    </message>
    <message>
        <source>The sheet took too long to load.</source>
        <translation>Das Arbeitsblatt hat zu lange zum Laden gebraucht.</translation>
    </message>
    <message>
        <source>The page used too much memory and is being reloaded.</source>
        <translation>Die Seite hat zu viel Speicher belegt und wird neu geladen.</translation>
    </message>
    <message>
        <source>The sheet lost its own connection to the server.</source>
        <translation>Das Arbeitsblatt hat seine eigene Verbindung zum Server verloren.</translation>
    </message>
    <message>
        <source>The last attempt to reconnect failed.</source>
        <translation>Der letzte Verbindungsversuch ist fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>SheetActions</name>
    <message>
        <source>Reload sheet</source>
        <translation>Arbeitsblatt neu laden</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>Drucken…</translation>
    </message>
</context>
<context>
    <name>SignInWindow</name>
    <message>
        <source>Sign in — {product}</source>
        <translation>Anmelden — {product}</translation>
    </message>
    <message>
        <source>{origin} — not encrypted</source>
        <translation>{origin} — nicht verschlüsselt</translation>
    </message>
</context>
<context>
    <name>StateDialog</name>
    <message>
        <source>Reconnect</source>
        <translation>Neu verbinden</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>Erneut anmelden</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
</context>
<context>
    <name>StatusIndicator</name>
    <message>
        <source>Connecting</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>Verbindung wird wiederhergestellt</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Sign-in required</source>
        <translation>Anmeldung erforderlich</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>{ms} ms</source>
        <translation>{ms} ms</translation>
    </message>
</context>
<context>
    <name>Steps</name>
    <message>
        <source>Signing in…</source>
        <translation>Anmeldung…</translation>
    </message>
    <message>
        <source>Connecting to the engine…</source>
        <translation>Verbindung zur Engine wird hergestellt…</translation>
    </message>
    <message>
        <source>Opening the app…</source>
        <translation>Die App wird geöffnet…</translation>
    </message>
    <message>
        <source>Finding the sheet…</source>
        <translation>Das Arbeitsblatt wird gesucht…</translation>
    </message>
</context>
<context>
    <name>TabbedShell</name>
    <message>
        <source>Close tab</source>
        <translation>Tab schließen</translation>
    </message>
    <message>
        <source>Data as of {when}</source>
        <translation>Datenstand {when}</translation>
    </message>
</context>
<context>
    <name>WindowCommands</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open app…</source>
        <translation>App ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>&amp;Close tab</source>
        <translation>Tab &amp;schließen</translation>
    </message>
    <message>
        <source>Export to &amp;PDF…</source>
        <translation>Als &amp;PDF exportieren…</translation>
    </message>
    <message>
        <source>Export P&amp;NG…</source>
        <translation>Als P&amp;NG exportieren…</translation>
    </message>
    <message>
        <source>Sign ou&amp;t</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <source>S&amp;witch profile…</source>
        <translation>Profil &amp;wechseln…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Reload sheet</source>
        <translation>Arbeitsblatt &amp;neu laden</translation>
    </message>
    <message>
        <source>&amp;Next tab</source>
        <translation>Nä&amp;chster Tab</translation>
    </message>
    <message>
        <source>Pre&amp;vious tab</source>
        <translation>&amp;Vorheriger Tab</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>&amp;Actual size</source>
        <translation>&amp;Originalgröße</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>Vollbil&amp;d</translation>
    </message>
    <message>
        <source>&amp;Sheet</source>
        <translation>Arbeits&amp;blatt</translation>
    </message>
    <message>
        <source>&amp;Clear selections</source>
        <translation>Auswahlen &amp;löschen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Diagnostics</source>
        <translation>&amp;Diagnose</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>&amp;Protokollordner öffnen</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>Ü&amp;ber</translation>
    </message>
    <message>
        <source>Export to PDF</source>
        <translation>Als PDF exportieren</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>Als PNG exportieren</translation>
    </message>
    <message>
        <source>Diagnostics — {product}</source>
        <translation>Diagnose — {product}</translation>
    </message>
    <message>
        <source>Qlik Sense sheets, watched and healed.</source>
        <translation>Qlik-Sense-Arbeitsblätter, überwacht und wiederhergestellt.</translation>
    </message>
</context>
</TS>
