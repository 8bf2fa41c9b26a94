package dev.calleval.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest. */
class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"calleval " + (version == null ? "(development build)" : version)};
    }
}
