using Spectre.Console;
using Spectre.Console.Rendering;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// The CLI's tables: no borders, two spaces between columns (one between two number columns, whose
/// right-aligned headers keep them apart), so a table of nine short columns fits an 80-column
/// terminal (a bordered table spends three columns per column on its frame).
/// </summary>
public static class CompactTable
{
    /// <summary>A table with these column headers; a header ending in <c>&gt;</c> is a right-aligned (number) column.</summary>
    public static Table Create(params string[] headers)
    {
        var table = new Table().Border(TableBorder.None);
        for (var i = 0; i < headers.Length; i++)
        {
            var right = headers[i].EndsWith('>');
            var gap = i == headers.Length - 1 ? 0 : right && headers[i + 1].EndsWith('>') ? 1 : 2;
            var column = new TableColumn(new Markup($"[bold]{Markup.Escape(right ? headers[i][..^1] : headers[i])}[/]"))
                .Padding(0, 0, gap, 0);
            if (right) column.RightAligned();
            table.AddColumn(column);
        }
        return table;
    }

    /// <summary>A section: a blank line, a bold heading, then <paramref name="body"/>.</summary>
    public static IRenderable Section(string title, IRenderable body) => new Rows(new Text(""), Heading(title), body);

    /// <summary>A bold heading.</summary>
    public static IRenderable Heading(string text) => new Markup($"[bold]{Markup.Escape(text)}[/]");

    /// <summary>A line of plain text (wrapped at the console's width).</summary>
    public static IRenderable Line(string text) => new Text(text);
}
