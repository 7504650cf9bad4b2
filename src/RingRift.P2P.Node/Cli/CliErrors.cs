namespace RingRift.P2P.Node.Cli;

/// <summary>A CLI failure with a one-line message for the user (exit code 1): a call that failed, or a port <c>run</c> finds in use.</summary>
public sealed class CliException(string message) : Exception(message);

/// <summary>A bad argument found once the command runs (exit code 2), e.g. a --url that is not a URL.</summary>
public sealed class CliUsageException(string message) : Exception(message);
