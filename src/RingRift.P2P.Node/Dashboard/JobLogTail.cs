using System.Text;

namespace RingRift.P2P.Node.Dashboard;

/// <summary>
/// The last lines of a job's log, read from its end: at most <see cref="MaxBytes"/> bytes are read
/// whatever the file's size, and each line is cut to <see cref="MaxLineChars"/> characters.
/// </summary>
/// <param name="Lines">The last lines, oldest first, without line breaks.</param>
/// <param name="SizeBytes">The log's size when read.</param>
/// <param name="WholeLog">The lines are the whole log (nothing before them was left out).</param>
public sealed record JobLogTail(IReadOnlyList<string> Lines, long SizeBytes, bool WholeLog)
{
    /// <summary>Most lines one read returns.</summary>
    public const int MaxLines = 500;

    /// <summary>Most bytes one read takes from the end of the file.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Longest line returned; a longer one is cut and ends with '…'.</summary>
    public const int MaxLineChars = 2000;

    private const int Chunk = 16 * 1024;

    /// <summary>The last <paramref name="lines"/> (1–<see cref="MaxLines"/>) lines of <paramref name="path"/>; null when there is no such file.</summary>
    public static JobLogTail? Read(string path, int lines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lines, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lines, MaxLines);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        using (stream)
        {
            var length = stream.Length;
            var (bytes, start) = ReadEnd(stream, length, lines);
            var parts = Encoding.UTF8.GetString(bytes).Split('\n').ToList();
            if (parts.Count > 0 && parts[^1].Length == 0) parts.RemoveAt(parts.Count - 1); // the last line's break
            if (start > 0 && parts.Count > 1) parts.RemoveAt(0); // begins inside a line
            var whole = start == 0 && parts.Count <= lines;
            var tail = parts.Skip(Math.Max(0, parts.Count - lines)).Select(Clean).ToArray();
            return new JobLogTail(tail, length, whole);
        }
    }

    /// <summary>Reads backwards a chunk at a time until more than <paramref name="lines"/> line breaks are in hand, the file's start, or <see cref="MaxBytes"/>.</summary>
    private static (byte[] Bytes, long Start) ReadEnd(FileStream stream, long length, int lines)
    {
        var chunks = new List<byte[]>();
        var start = length;
        var breaks = 0;
        while (start > 0 && length - start < MaxBytes && breaks <= lines)
        {
            var size = (int)Math.Min(Chunk, Math.Min(start, MaxBytes - (length - start)));
            start -= size;
            var chunk = new byte[size];
            stream.Seek(start, SeekOrigin.Begin);
            stream.ReadExactly(chunk);
            chunks.Insert(0, chunk);
            for (var i = 0; i < size; i++)
                if (chunk[i] == (byte)'\n' && start + i != length - 1) breaks++;
        }
        return (chunks.SelectMany(c => c).ToArray(), start);
    }

    private static string Clean(string line)
    {
        var text = line.TrimEnd('\r');
        return text.Length <= MaxLineChars ? text : string.Concat(text.AsSpan(0, MaxLineChars - 1), "…");
    }
}
