using System.Text.Encodings.Web;
using System.Text.Json;
using RingRift.P2P.Config;

namespace RingRift.P2P.Node.Hosting;

/// <summary>
/// The node's console log: the host's text lines, or one JSON object per line
/// (<c>RINGRIFT_LOG_FORMAT=json</c>), from <c>RINGRIFT_LOG_LEVEL</c> up, with the chatty framework
/// categories held at their own floor.
/// </summary>
public static class NodeLogging
{
    /// <summary>JSON lines' timestamp: ISO 8601 in UTC, to the millisecond (2026-12-06T15:13:37.123Z).</summary>
    public const string JsonTimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>
    /// Categories logged only from their floor up, whatever the level asked for (a higher level still
    /// wins): without them every request and every heartbeat call would print lines.
    /// </summary>
    public static IReadOnlyList<(string Category, LogLevel Floor)> Floors { get; } =
    [
        ("Microsoft.AspNetCore", LogLevel.Warning),
        ("System.Net.Http", LogLevel.Warning),
        // Polly logs every retry of the cluster-work pipelines; the callers log what matters once.
        ("Polly", LogLevel.None),
    ];

    /// <summary>Sets the console format, the minimum level and the categories' floors from <paramref name="settings"/>.</summary>
    public static ILoggingBuilder AddNodeConsole(this ILoggingBuilder logging, LogSettings settings)
    {
        // The host's builder has already added the console with the simple (text) formatter; json replaces the formatter.
        if (settings.Format == LogFormat.Text && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM")))
        {
            // Under systemd the output goes to the journal (which sets JOURNAL_STREAM): one line per message with its
            // syslog priority, so `journalctl -p warning` works, rather than the console's two-line text.
            logging.AddSystemdConsole();
        }
        else if (settings.Format == LogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = JsonTimestampFormat;
                o.IncludeScopes = true;
                // Lines go to a terminal or a log shipper, never into HTML: keep '+', '<', '&' and non-ASCII readable.
                o.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }
        logging.SetMinimumLevel(settings.MinimumLevel);
        foreach (var (category, floor) in Floors)
            logging.AddFilter(category, floor > settings.MinimumLevel ? floor : settings.MinimumLevel);
        return logging;
    }
}
