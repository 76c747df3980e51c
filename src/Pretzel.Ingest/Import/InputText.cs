using System.Text;

namespace Pretzel.Ingest.Import;

/// <summary>Opens input files as text in the requested encoding.</summary>
internal static class InputText
{
    internal static Encoding Resolve(string name) => name.Trim().ToLowerInvariant() switch
    {
        "utf-8" or "utf8" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false),
        "latin1" or "latin-1" or "iso-8859-1" => Encoding.Latin1,
        "utf-16" or "utf16" or "utf-16le" => Encoding.Unicode,
        _ => throw new ImportException($"--encoding {name}: unknown encoding; use utf-8, latin1 or utf-16"),
    };

    internal static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw new ImportException($"{path}: no such file");
        }
        catch (DirectoryNotFoundException)
        {
            throw new ImportException($"{path}: no such file or folder");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ImportException($"{path}: cannot read ({ex.Message})", ex);
        }
        catch (IOException ex)
        {
            throw new ImportException($"{path}: cannot read ({ex.Message})", ex);
        }
    }
}
