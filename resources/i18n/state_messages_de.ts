<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<!-- Hand-maintained: the default per-state messages of viewer.config.models.StateMessages. -->
<context>
    <name>StateMessages</name>
    <message>
        <source>Connection lost. Reconnect to continue.</source>
        <translation>Verbindung unterbrochen. Zum Fortfahren neu verbinden.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>Connection lost. Reconnecting…</source>
        <translation>Verbindung unterbrochen. Verbindung wird wiederhergestellt…</translation>
    </message>
    <message>
        <source>No network. Waiting for it to come back…</source>
        <translation>Kein Netzwerk. Warten, bis es wieder verfügbar ist…</translation>
    </message>
    <message>
        <source>Please sign in again.</source>
        <translation>Bitte melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>The session has ended.</source>
        <translation>Die Sitzung wurde beendet.</translation>
    </message>
</context>
</TS>
