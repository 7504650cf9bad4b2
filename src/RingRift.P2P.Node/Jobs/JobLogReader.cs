using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Jobs;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// Follows a job's log file and picks out the JSON lines the job prints: <c>{"progress": 0.4}</c>
/// sets <see cref="Progress"/> (clamped to 0–1) and <c>{"result": {...}}</c> sets
/// <see cref="Result"/> (the last one wins). Other lines are ordinary log text. Reads only what was
/// appended since the last call; a line longer than 1 MiB is skipped.
/// </summary>
public sealed class JobLogReader(string path, long startOffset = 0)
{
    /// <summary>Longest line parsed as JSON; longer lines are skipped.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>At most this many bytes of the log's end go into a failure message.</summary>
    public const int TailBytes = 1024;

    private readonly List<byte> _line = [];
    private bool _skipping;
    private long _offset = startOffset;

    public string Path { get; } = path;

    /// <summary>Where this run's output starts in the log (an earlier attempt of the same job may precede it).</summary>
    public long StartOffset { get; } = startOffset;

    /// <summary>The last progress the job reported, 0–1; null before the first.</summary>
    public double? Progress { get; private set; }

    /// <summary>The last result object the job printed; null when none yet.</summary>
    public JsonObject? Result { get; private set; }

    /// <summary>Reads what was appended since the last call and updates <see cref="Progress"/> and <see cref="Result"/>.</summary>
    public void ReadNew()
    {
        FileStream stream;
        try
        {
            stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }
        using (stream)
        {
            if (stream.Length < _offset) { _offset = Math.Min(StartOffset, stream.Length); _line.Clear(); _skipping = false; } // truncated: start over
            stream.Seek(_offset, SeekOrigin.Begin);
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                _offset += read;
                for (var i = 0; i < read; i++) Take(buffer[i]);
            }
        }
    }

    /// <summary>Also parses a last line the job left without a newline (call once the process is gone).</summary>
    public void Flush()
    {
        ReadNew();
        if (_line.Count > 0 && !_skipping) Parse(Encoding.UTF8.GetString([.. _line]));
        _line.Clear();
        _skipping = false;
    }

    /// <summary>This run's last log lines (see <see cref="Tail(string, long)"/>).</summary>
    public string Tail() => Tail(Path, StartOffset);

    /// <summary>
    /// The log's last lines after <paramref name="startOffset"/>, at most <see cref="TailBytes"/> bytes,
    /// whole lines only; empty when there is no log.
    /// </summary>
    public static string Tail(string path, long startOffset = 0)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var start = Math.Max(Math.Max(0, startOffset), stream.Length - TailBytes);
            if (start >= stream.Length) return "";
            stream.Seek(start, SeekOrigin.Begin);
            var bytes = new byte[stream.Length - start];
            stream.ReadExactly(bytes);
            var text = Encoding.UTF8.GetString(bytes);
            if (start > startOffset)
            {
                var firstBreak = text.IndexOf('\n');
                text = firstBreak >= 0 ? text[(firstBreak + 1)..] : text;
            }
            return text.Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "";
        }
    }

    private void Take(byte b)
    {
        if (b == (byte)'\n')
        {
            if (!_skipping) Parse(Encoding.UTF8.GetString([.. _line]));
            _line.Clear();
            _skipping = false;
            return;
        }
        if (_skipping) return;
        if (_line.Count >= MaxLineBytes) { _line.Clear(); _skipping = true; return; }
        _line.Add(b);
    }

    private void Parse(string line)
    {
        var text = line.Trim();
        if (text.Length < 2 || text[0] != '{' || text[^1] != '}') return;
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return;
        }
        if (json is null) return;
        if (json[WorkKeys.Progress] is JsonValue progress && progress.TryGetValue(out double fraction) && double.IsFinite(fraction))
            Progress = Math.Clamp(fraction, 0, 1);
        if (json[WorkKeys.Result] is JsonObject result)
            Result = (JsonObject)result.DeepClone();
    }
}
