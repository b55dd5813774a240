Attribute VB_Name = "XltoolsRibbon"
Option Explicit
' The ribbon of the xltools add-in (customUI14.xml) calls OnAction for every button.
' The button's id names its handler in Python: xltools/excel/ribbon.py is the one registry of
' ids and handlers, so no button logic lives in VBA.

Public Sub OnAction(control As IRibbonControl)
    ' xlwings' RunPython reads ActiveWorkbook, which is Nothing when only add-ins are open.
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    RunPython "import xltools.excel.ribbon as r; r.dispatch('" & control.Id & "')"
End Sub
