using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Config;

/// <summary>
/// The node's console log settings read from the environment. Bad values throw
/// <see cref="P2PConfigException"/> naming the variable and what it accepts.
/// </summary>
public sealed record LogSettings
{
    public const string FormatVariable = "RINGRIFT_LOG_FORMAT";
    public const string LevelVariable = "RINGRIFT_LOG_LEVEL";

    private static readonly EnumRule<LogFormat> FormatRule = new(FormatVariable);
    private static readonly EnumRule<LogLevel> LevelRule = new(LevelVariable);

    /// <summary>Text or one JSON object per line.</summary>
    /// <value><see cref="LogFormat.Text"/> by default: the console output nodes have always written.</value>
    public LogFormat Format { get; init; } = LogFormat.Text;

    /// <summary>Least severe level written.</summary>
    /// <value>
    /// <see cref="LogLevel.Information"/> by default, the level a host logs at when nothing sets one.
    /// The host's quieter categories keep their own floor when this is lower (see the node's logging setup).
    /// </value>
    public LogLevel MinimumLevel { get; init; } = LogLevel.Information;

    /// <summary>Reads the settings from <paramref name="env"/>, or the process environment when null. Names are case-insensitive.</summary>
    /// <exception cref="P2PConfigException">A variable holds a bad value.</exception>
    public static LogSettings FromEnvironment(IReadOnlyDictionary<string, string?>? env = null)
    {
        var reader = new EnvironmentReader(env);
        var d = new LogSettings();
        return new LogSettings
        {
            Format = FormatRule.Read(reader) ?? d.Format,
            MinimumLevel = LevelRule.Read(reader) ?? d.MinimumLevel,
        };
    }

    /// <summary>The variables <see cref="FromEnvironment"/> reads, with defaults and descriptions (for the README).</summary>
    public static IReadOnlyList<(string Variable, string Default, string Description)> Documented { get; } =
    [
        (FormatVariable, "text", "Console log format: text, or json (one JSON object per line: UTC ISO-8601 Timestamp, EventId, LogLevel, Category, Message, State, Scopes)"),
        (LevelVariable, "Information", "Least severe level logged: trace, debug, information, warning, error, critical or none (any case)"),
    ];
}
