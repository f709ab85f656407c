import { CARD_COLORS } from './colors.js';

const TEMPLATES = ['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey'];
const TAGS = ['blue', 'turquoise', 'lime', 'orange', 'violet', 'indigo', 'wathet', 'green', 'yellow', 'red', 'purple', 'carmine'];
const light = (name: string, fallback: string) => CARD_COLORS[name]?.[0] ?? fallback;
const dark = (name: string, fallback: string) => CARD_COLORS[name]?.[1] ?? fallback;

// The docs show header colours only as pictures: a light tint of the template with its deep
// shade for the title is the closest reading (reference/card-schema.md §4.1).
const headerRules = TEMPLATES.map((t) => `.header-${t}{background:${light(`${t}-100`, '#F2F3F5')};color:${light(`${t}-700`, '#1F2329')}}`).join('');
// Dark mode uses each colour's dark value (reference/data/card-colors.md): the deep tint behind,
// the light shade for text, as the client's dark theme does.
const darkHeaderRules = TEMPLATES.map((t) => `.dark .header-${t}{background:${dark(`${t}-100`, '#292929')};color:${dark(`${t}-700`, '#E0E0E0')}}`).join('');
const darkTagRules = [...TAGS.map((t) => `.dark .tag-${t}{background:${dark(`${t}-100`, '#292929')};color:${dark(`${t}-700`, '#E0E0E0')}}`), `.dark .tag-neutral{background:${dark('grey-200', '#373737')};color:${dark('grey-700', '#E0E0E0')}}`].join('');
const tagRules = [...TAGS.map((t) => `.tag-${t}{background:${light(`${t}-100`, '#F2F3F5')};color:${light(`${t}-700`, '#1F2329')}}`), `.tag-neutral{background:${light('grey-100', '#F2F3F5')};color:${light('grey-700', '#646A73')}}`].join('');

export const PREVIEW_CSS = `
*{box-sizing:border-box}
body{margin:0;padding:24px;background:#EFF0F1;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1F2329}
body.dark{background:#0A0A0A;color:#E0E0E0;color-scheme:dark}
main{display:flex;justify-content:center}
.card{background:#fff;border:1px solid #DEE0E3;border-radius:8px;overflow:hidden;width:100%;max-width:600px}
.dark .card{background:#1A1A1A;border-color:#333}
.card.width-compact{max-width:400px}.card.width-fill{max-width:none}
.header{padding:12px}.header-default{background:#fff;color:#1F2329}
${headerRules}
.title-row{display:flex;align-items:center;gap:6px;flex-wrap:wrap}
.header .title{font-size:16px;font-weight:600}.header .subtitle{font-size:12px;opacity:.8;margin-top:2px}
.body{padding:12px;display:flex;flex-direction:column;gap:12px}
.el{max-width:100%}
.body>.btn,.body>.select,.body>.picker,.body>.person,.body>.overflow,.column>.btn,.column>.select,.column>.picker,.column>.overflow,.form>.btn,.form>.select,.form>.picker,.panel-body>.btn,.interactive>.btn{align-self:flex-start}
.icon{vertical-align:middle;flex:none}
.text.inline{display:inline}.text.caption{font-size:12px;color:#8F959E;margin-top:4px}
.size-notation,.size-small{font-size:12px}.size-heading{font-size:16px;font-weight:600}.size-heading-1{font-size:24px;font-weight:600}.size-heading-2{font-size:20px;font-weight:600}.size-large{font-size:16px}
.markdown .md-h{font-weight:600;margin:4px 0}.md-h1{font-size:26px}.md-h2{font-size:22px}.md-h3{font-size:20px}.md-h4{font-size:18px}.md-h5{font-size:17px}.md-h6{font-size:14px}
.markdown ul,.markdown ol{margin:2px 0;padding-left:22px}.md-gap{height:6px}
.markdown blockquote{margin:2px 0;padding-left:8px;border-left:3px solid #DEE0E3;color:#646A73}
.md-code{background:#F5F6F7;border-radius:4px;padding:8px;overflow:auto;margin:2px 0}code{background:#F5F6F7;border-radius:3px;padding:0 3px;font-family:ui-monospace,Menlo,monospace;font-size:13px}
.md-hr,.hr{border:0;border-top:1px solid #DEE0E3;margin:0;width:100%}
.md-at{color:#1456F0;background:#E0E9FF;border-radius:10px;padding:0 6px;font-size:13px}
.md-number{display:inline-block;min-width:18px;padding:0 5px;border-radius:9px;background:#1456F0;color:#fff;font-size:12px;text-align:center}
.md-time{color:#1456F0}.emoji{font-size:11px;border:1px solid #DEE0E3;border-radius:4px;padding:0 3px;color:#646A73}
a{color:#1C4CBA;text-decoration:none}
.tag{display:inline-block;font-size:12px;line-height:18px;padding:0 8px;border-radius:999px;white-space:nowrap;font-weight:400}
.header .tag{font-size:12px;line-height:20px}
${tagRules}
.md-table{border-collapse:collapse;margin:4px 0;font-size:14px;max-width:100%;display:block;overflow-x:auto}.md-table th,.md-table td{border:1px solid #DEE0E3;padding:6px 10px}.md-table th{background:#F5F6F7;font-weight:600}
.md-table .al-center{text-align:center}.md-table .al-right{text-align:right}.md-table .al-left{text-align:left}
.div{display:flex;gap:12px}.div-main{flex:1}.fields{display:flex;flex-wrap:wrap;gap:8px 16px}.field{flex:1 1 100%}.field.short{flex:1 1 calc(50% - 16px)}
.note{font-size:12px;color:#646A73;display:flex;gap:4px;align-items:center;flex-wrap:wrap}
.img-ph{display:flex;align-items:center;justify-content:center;background:repeating-linear-gradient(45deg,#F2F3F5,#F2F3F5 8px,#EBECED 8px,#EBECED 16px);color:#646A73;border-radius:6px;min-height:80px;padding:8px;font-size:12px;text-align:center}
.img-real{display:block;max-width:100%;border-radius:6px;object-fit:cover}.note .img-real{display:inline-block;width:16px;height:16px}.img.size-small .img-real{width:40px}.img.size-medium .img-real{width:80px}.img.size-large .img-real{width:160px}.img.size-stretch .img-real,.img.size-stretch_without_padding .img-real{width:100%}
.img-ph.inline{display:inline-flex;min-height:0;padding:0 6px}.img-ph.tiny{display:inline-flex;min-height:16px;width:16px;padding:0}
.img.size-small .img-ph{width:40px;min-height:40px}.img.size-medium .img-ph{width:80px}.img.size-large .img-ph{width:160px;min-height:160px}.img.size-stretch .img-ph,.img.size-stretch_without_padding .img-ph{width:100%;min-height:180px}
.img-combination{display:grid;gap:4px;grid-template-columns:repeat(2,1fr)}.img-combination.mode-triple,.img-combination.mode-trisect{grid-template-columns:repeat(3,1fr)}
.action{display:flex;gap:8px;flex-wrap:wrap}.action.layout-bisected>*{flex:1 1 calc(50% - 8px)}.action.layout-trisection>*{flex:1 1 calc(33% - 8px)}
.btn{font:inherit;font-size:14px;border-radius:6px;padding:0 14px;height:32px;border:1px solid #D0D3D6;background:#fff;color:#1F2329;cursor:pointer}
.btn-tiny{height:24px;font-size:12px;padding:0 8px}.btn-small{height:28px;font-size:13px}.btn-large{height:40px}.btn.fill{width:100%}
.btn-primary{color:#1456F0;border-color:#1456F0}.btn-danger{color:#D83931;border-color:#D83931}
.btn-text,.btn-primary_text,.btn-danger_text{border-color:transparent;background:transparent}.btn-primary_text{color:#1456F0}.btn-danger_text{color:#D83931}
.btn-primary_filled{background:#1456F0;border-color:#1456F0;color:#fff}.btn-danger_filled{background:#D83931;border-color:#D83931;color:#fff}
.btn-laser{background:linear-gradient(90deg,#4F7CFF,#B26BFF);border:0;color:#fff}.btn[disabled]{opacity:.5;cursor:not-allowed}
.select{font:inherit;height:32px;border:1px solid #D0D3D6;border-radius:6px;padding:0 8px;background:#fff;min-width:160px}.select[multiple]{height:auto;min-height:32px}
.overflow{position:relative;display:inline-block}.overflow-menu{display:none;position:absolute;z-index:2;margin:4px 0 0;padding:4px 0;list-style:none;background:#fff;border:1px solid #DEE0E3;border-radius:6px;min-width:120px}
.overflow:focus-within .overflow-menu{display:block}.overflow-menu li{padding:4px 12px;cursor:pointer}.overflow-menu li:hover{background:#F2F3F5}
.picker{display:inline-flex;align-items:center;gap:6px;border:1px solid #D0D3D6;border-radius:6px;padding:0 8px;height:32px}.picker input{border:0;font:inherit;background:transparent}
.input{display:flex;flex-direction:column;gap:4px}.input.label-left{flex-direction:row;align-items:center}.input input,.input textarea{font:inherit;border:1px solid #D0D3D6;border-radius:6px;padding:5px 8px}.req{color:#D83931;margin-left:2px}
.checker{display:flex;align-items:center;gap:6px}
.select-img{display:grid;grid-template-columns:repeat(3,1fr);gap:4px}
.column-set{display:flex;gap:8px;align-items:stretch}.column{display:flex;flex-direction:column;gap:8px;min-width:0;border-radius:6px}.valign-center{justify-content:center}.valign-bottom{justify-content:flex-end}
.form{display:flex;flex-direction:column;gap:12px;padding:12px;border:1px solid #DEE0E3;border-radius:8px}
.interactive{padding:4px 12px;border-radius:6px;cursor:pointer;display:flex;flex-direction:column;gap:4px}.interactive.bordered{border:1px solid #DEE0E3}.interactive:hover{background:#F5F6F7}
.panel{border:1px solid #DEE0E3;border-radius:6px}.panel summary{padding:8px 12px;cursor:pointer}.panel-body{padding:0 12px 12px;display:flex;flex-direction:column;gap:8px}
.table table{border-collapse:collapse;width:100%;font-size:13px}.table th,.table td{border-bottom:1px solid #DEE0E3;padding:6px 8px;text-align:left}.table th{background:#F5F6F7;font-weight:600}.table-more{font-size:12px;color:#8F959E;margin-top:4px}
.chart .img-ph{aspect-ratio:16/9}.chart.ratio-1-1 .img-ph{aspect-ratio:1}.chart.ratio-4-3 .img-ph{aspect-ratio:4/3}.chart.ratio-2-1 .img-ph{aspect-ratio:2}
.unsupported{border:1px dashed #D83931;color:#D83931;border-radius:6px;padding:6px;font-size:12px}
.header-default{border-bottom:1px solid #EFF0F1}
.dark .header-default{background:#1A1A1A;color:#E0E0E0;border-bottom-color:#373737}
${darkHeaderRules}
${darkTagRules}
.dark a,.dark .md-time{color:#75A4FF}.dark .md-at{color:#75A4FF;background:#173166}.dark .md-number{background:#4C88FF}
.dark code,.dark .md-code{background:#292929;color:#E0E0E0}
.dark .md-hr,.dark .hr{border-top-color:#373737}.dark .markdown blockquote{border-left-color:#505050;color:#A6A6A6}
.dark .note,.dark .text.caption,.dark .table-more{color:#A6A6A6}
.dark .table th,.dark .md-table th{background:#292929;color:#E0E0E0}.dark .table th,.dark .table td{border-bottom-color:#373737}.dark .md-table th,.dark .md-table td{border-color:#373737}
.dark .btn{background:transparent;border-color:#505050;color:#E0E0E0}.dark .btn-primary{color:#75A4FF;border-color:#4C88FF}.dark .btn-danger{color:#F6827E;border-color:#F05B56}
.dark .btn-text,.dark .btn-primary_text,.dark .btn-danger_text{border-color:transparent}.dark .btn-primary_text{color:#75A4FF}.dark .btn-danger_text{color:#F6827E}
.dark .btn-primary_filled{background:#3370EB;border-color:#3370EB;color:#fff}.dark .btn-danger_filled{background:#D14642;border-color:#D14642;color:#fff}.dark .btn-laser{color:#fff;border:0}
.dark .select,.dark .picker,.dark .input input,.dark .input textarea,.dark .picker input{background:#1A1A1A;color:#E0E0E0;border-color:#505050}
.dark .overflow-menu{background:#292929;border-color:#373737}.dark .overflow-menu li:hover{background:#373737}
.dark .img-ph{background:repeating-linear-gradient(45deg,#292929,#292929 8px,#222 8px,#222 16px);color:#A6A6A6}
.dark .form,.dark .panel,.dark .interactive.bordered{border-color:#373737}.dark .interactive:hover{background:#292929}
.md-img{display:inline-block;vertical-align:middle;max-height:240px}.md-more{color:#8F959E;font-size:12px;margin-left:4px}
.unrenderable{color:#8F959E;font-size:12px;border:1px dashed #DEE0E3;border-radius:6px;padding:6px 8px}.dark .unrenderable{border-color:#505050;color:#A6A6A6}
`;
