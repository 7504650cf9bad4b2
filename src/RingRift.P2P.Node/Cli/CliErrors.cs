namespace RingRift.P2P.Node.Cli;

/// <summary>
/// A CLI failure with a one-line message for the user (exit code 1): a call that failed, or a port <c>run</c> finds in use.
/// <see cref="Status"/> is the node's HTTP status when a node answered (null when it could not be reached or did not answer in time).
/// </summary>
public sealed class CliException(string message, int? status = null) : Exception(message)
{
    public int? Status { get; } = status;

    /// <summary>The node could not be reached, did not answer, or answered 503 (no leader serving right now): a retry may succeed.</summary>
    public bool MayPassOnRetry => Status is null or 503;
}

/// <summary>A bad argument found once the command runs (exit code 2), e.g. a --url that is not a URL.</summary>
public sealed class CliUsageException(string message) : Exception(message);
