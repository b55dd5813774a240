"""Module text → vbaProject.bin: the stream text rule, the code page, and the compression fix."""

from __future__ import annotations

import olefile
import pytest
from oletools.olevba import decompress_stream

from xltools.excel.addin import vba


@pytest.mark.parametrize(
    "text",
    [
        "".join(f"Const C{i} = {i}\n" for i in range(150)) + "'" + "=" * 200 + "\n",  # a banner 2 kB into a chunk
        "Public Function F(x)\n    F = x * 2\nEnd Function\n" * 200,  # repeated lines, 10 kB
        "".join(chr(c) for c in range(32, 127)) * 22 + "-" * 300 + "\n",  # a run late in the chunk
    ],
)
def test_compression_round_trips_long_runs_late_in_a_chunk(text: str) -> None:
    """Each case decompressed to garbage before the fix (checked against ms-ovba-compression 1.0.1)."""
    module = vba.Module("Runs", text)
    project = olefile.OleFileIO(vba.project([module], "xltools"))
    stream = project.openstream("VBA/Runs").read()
    assert decompress_stream(bytearray(stream)).decode("cp1252") == vba.stream_text(module)


def test_stream_text_is_the_file_text_with_crlf() -> None:
    assert vba.stream_text(vba.Module("M", "Sub A()\nEnd Sub")) == 'Attribute VB_Name = "M"\r\nSub A()\r\nEnd Sub\r\n'
    text = 'Attribute VB_Name = "M"\r\nSub A()\r\nEnd Sub\r\n\r\n'
    assert vba.stream_text(vba.Module("M", text)) == text
    with pytest.raises(ValueError, match="its text says"):
        vba.stream_text(vba.Module("N", text))
    cls = 'VERSION 1.0 CLASS\nBEGIN\nEND\nAttribute VB_Name = "C"\nAttribute VB_Exposed = False\nPrivate x\n'
    assert vba.stream_text(vba.Module("C", cls, "class")).split("\r\n") == [
        'Attribute VB_Name = "C"',
        'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
        "Attribute VB_Exposed = False",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = False",
        "Private x",
        "",
    ]


def test_text_outside_cp1252_is_refused_not_garbled() -> None:
    with pytest.raises(UnicodeEncodeError):
        vba.project([vba.Module("M", "' a → b\n")], "xltools")
