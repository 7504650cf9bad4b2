using RingRift.P2P.Yaml;

namespace RingRift.P2P.Config;

/// <summary>
/// Where the configuration readers (environment, hosts file, jobs file, the node's resolver) send
/// what is wrong. At start-up (<see cref="ThrowFirst"/>) the first error is thrown, as it always
/// was, and stops the node. <c>ringrift-p2p config check</c> (<see cref="Collect"/>) records every
/// error and warning instead, and the reader goes on with that setting's default, so one run lists
/// them all. Both modes run the same readers: there is one set of rules.
/// </summary>
/// <remarks>
/// Errors are <see cref="P2PConfigException"/> (a variable or flag) and <see cref="YamlFileException"/>
/// (a file, line and key). Warnings never stop a node; they are kept only when collecting.
/// </remarks>
public sealed class ConfigProblems
{
    private readonly List<Exception> _errors = [];
    private readonly List<ConfigWarning> _warnings = [];

    private ConfigProblems(bool collecting) => Collecting = collecting;

    /// <summary>Throws the first error (start-up); records nothing.</summary>
    public static ConfigProblems ThrowFirst { get; } = new(collecting: false);

    /// <summary>A new collector: every error and warning is recorded (<c>config check</c>).</summary>
    public static ConfigProblems Collect() => new(collecting: true);

    /// <summary>True when errors are recorded rather than thrown.</summary>
    public bool Collecting { get; }

    /// <summary>The errors recorded, in the order found, each once (by message).</summary>
    public IReadOnlyList<Exception> Errors => _errors;

    /// <summary>The warnings recorded, in the order found.</summary>
    public IReadOnlyList<ConfigWarning> Warnings => _warnings;

    /// <summary>
    /// For exception filters (<c>catch (HostsFileException e) when (problems.Report(e))</c>): records
    /// <paramref name="error"/> and returns true when collecting, so the reader goes on; returns false
    /// otherwise, so the exception propagates unchanged.
    /// </summary>
    public bool Report(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!Collecting) return false;
        if (!_errors.Any(e => e.Message == error.Message)) _errors.Add(error);
        return true;
    }

    /// <summary>Records <paramref name="error"/> when collecting; throws it otherwise.</summary>
    public void Add(Exception error)
    {
        if (!Report(error)) throw error;
    }

    /// <summary>The result of <paramref name="read"/>, or <paramref name="fallback"/> when it fails with a configuration error that is being collected.</summary>
    public T Read<T>(Func<T> read, T fallback = default!)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return read();
        }
        catch (Exception e) when (e is P2PConfigException or YamlFileException && Report(e))
        {
            return fallback;
        }
    }

    /// <summary>Runs <paramref name="check"/>; a configuration error it throws is recorded when collecting. True when it passed.</summary>
    public bool Check(Action check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return Read(() =>
        {
            check();
            return true;
        }, false);
    }

    /// <summary>Records a warning (only when collecting: a running node does not stop for one).</summary>
    public void Warn(ConfigWarning warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        if (Collecting && !_warnings.Contains(warning)) _warnings.Add(warning);
    }
}

/// <summary>
/// Something likely wrong that does not stop a node: an unknown <c>RINGRIFT_*</c> variable, a voter
/// with no entry in the hosts file. <paramref name="Source"/> is a file (with <paramref name="Line"/>
/// and <paramref name="Key"/> when known) or <c>environment</c>.
/// </summary>
public sealed record ConfigWarning(string Source, int? Line, string? Key, string Message)
{
    /// <summary>One line: <c>file line N: key 'k': message</c>, as errors are written.</summary>
    public override string ToString() => YamlNodes.FormatError(Source, Line, Key, Message);
}
