"""Writes cases.xlsx from cases.csv as a spreadsheet user would keep it: times as Excel dates,
grid codes and phones as numbers, the header as inline strings and the rows' texts as shared
ones, so the import's .xlsx reader meets each kind of cell. Run: python3 make-xlsx.py"""
import csv, datetime, pathlib, re, zipfile
import openpyxl

here = pathlib.Path(__file__).parent
rows = list(csv.reader(open(here / "cases.csv", encoding="utf-8")))
book = openpyxl.Workbook()
sheet = book.active
for values in rows:
    cells = []
    for value in values:
        if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", value):
            cells.append(datetime.datetime.strptime(value, "%Y-%m-%d %H:%M"))
        elif re.fullmatch(r"\d{11,15}", value):
            cells.append(int(value))
        else:
            cells.append(value if value else None)
    sheet.append(cells)
for row in sheet.iter_rows(min_row=2):
    for cell in row:
        if isinstance(cell.value, datetime.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
book.save(here / "cases.xlsx")

# This openpyxl writes every text inline; Excel keeps them shared. The header stays inline, the
# rows' texts move to a shared-strings part, as Excel would write them.
with zipfile.ZipFile(here / "cases.xlsx") as source:
    parts = {name: source.read(name) for name in source.namelist()}
shared = []

def share(match):
    if match.group(2) == b"1":
        return match.group(0)
    shared.append(match.group(4))
    return b'<c r="%s%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2), match.group(3), len(shared) - 1)

parts["xl/worksheets/sheet1.xml"] = re.sub(
    rb'<c r="([A-Z]+)(\d+)"([^>]*?) t="inlineStr"><is><t>(.*?)</t></is></c>', share, parts["xl/worksheets/sheet1.xml"])
parts["xl/sharedStrings.xml"] = (
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(shared), len(shared))
    + b"".join(b"<si><t>%s</t></si>" % text for text in shared) + b"</sst>")
parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
    b"</Types>",
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
    b"</Relationships>",
    b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
with zipfile.ZipFile(here / "cases.xlsx", "w", zipfile.ZIP_DEFLATED) as target:
    for name, data in parts.items():
        target.writestr(name, data)
