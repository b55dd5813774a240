Attribute VB_Name = "XltoolsDialogs"
Option Explicit
' Excel's own file dialogs for the buttons that make files. xltools/excel/dialogs.py calls these
' through xlwings (app.macro), so Windows and macOS show the dialog users know. A path travels as
' text, several paths one per line, and "" means the user cancelled.

Public Function AskSaveAs(ByVal Suggested As String, ByVal Title As String) As String
    Dim Chosen As Variant
#If Mac Then
    Chosen = Application.GetSaveAsFilename(InitialFileName:=Suggested)
#Else
    Chosen = Application.GetSaveAsFilename(InitialFileName:=Suggested, _
        FileFilter:="Excel-projektmappe (*.xlsx),*.xlsx", Title:=Title)
#End If
    If VarType(Chosen) = vbBoolean Then AskSaveAs = "" Else AskSaveAs = CStr(Chosen)
End Function

Public Function AskOpen(ByVal Folder As String, ByVal Title As String) As String
    Dim Chosen As Variant, OnePath As Variant, Found As String
    On Error Resume Next
#If Not Mac Then
    If Mid$(Folder, 2, 1) = ":" Then ChDrive Left$(Folder, 1)
#End If
    ChDir Folder
    On Error GoTo 0
#If Mac Then
    Chosen = Application.GetOpenFilename(MultiSelect:=True)
#Else
    Chosen = Application.GetOpenFilename(FileFilter:="Excel-projektmappe (*.xlsx),*.xlsx", _
        Title:=Title, MultiSelect:=True)
#End If
    If IsArray(Chosen) Then
        For Each OnePath In Chosen
            If Len(Found) > 0 Then Found = Found & vbLf
            Found = Found & CStr(OnePath)
        Next
    ElseIf VarType(Chosen) = vbString Then
        Found = Chosen ' one file, as some Excel for Mac versions return it
    End If
    AskOpen = Found
End Function
