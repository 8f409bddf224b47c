import{C as e,F as t,M as n,O as r,P as i,k as a,l as o}from"./index-B-nQkeiX.js";var s=`
  id flowId flowGroupId flowName name state stateType stateMessage stateTimestamp version
  runCount parameters labels scheduledStartTime startTime endTime autoScheduled agentId
  heartbeat created`,c=`
  id taskSlug mapIndex state stateType stateMessage stateTimestamp version runCount
  startTime endTime`,l=`id taskSlug mapIndex timestamp level levelName message name`,u=`
  id flowGroupId projectId projectName name version description labels schedule
  scheduleActive archived created`,d=`
query Dashboard($since: DateTime!, $bucket: Int!, $now: DateTime!) {
  runCounts(since: $since, bucketSeconds: $bucket) { bucketStart state count }
  active: flowRuns(states: ["Submitted", "Running", "Cancelling", "Paused"], first: 20,
                   orderBy: STATE_TIMESTAMP_DESC) {
    totalCount nodes { ${s} }
  }
  upcoming: flowRuns(states: ["Scheduled", "Pending"], first: 10, orderBy: SCHEDULED_START_TIME_ASC) {
    totalCount nodes { ${s} }
  }
  late: flowRuns(states: ["Scheduled", "Pending"], scheduledBefore: $now, first: 1) { totalCount }
  failures: flowRuns(states: ["Failed"], first: 8, orderBy: STATE_TIMESTAMP_DESC) {
    nodes { ${s} }
  }
  agents { id name labels version lastHeartbeat created runsInFlight }
  flows(first: 1) { totalCount }
}`,f=`subscription RunFeed { runFeed { kind flowRunId state stateType occurred } }`,p=`query Projects { projects { id name description created flowCount } }`,m=`
mutation CreateProject($name: String!, $description: String) {
  createProject(name: $name, description: $description) { id name }
}`,h=`
query Flows($search: String, $project: String, $first: Int!, $after: String) {
  flows(search: $search, project: $project, first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { ${u} }
  }
}`;function g(e,t){return`query LastRuns { ${e.map((e,n)=>`f${n}: flowRuns(flowGroupId: ${JSON.stringify(e)}, first: ${t}, orderBy: SCHEDULED_START_TIME_DESC) {
        nodes { id name state stateType scheduledStartTime startTime endTime } }`).join(`
`)} }`}var _=`
mutation SetScheduleActive($flowId: ID!, $active: Boolean!) {
  setScheduleActive(flowId: $flowId, active: $active) { id scheduleActive }
}`,v=`
query Flow($id: ID!) {
  flow(id: $id) {
    ${u} fingerprint parameterSchema storage runConfig
    tasks { id slug name type mapped tags retries retryDelay timeout trigger isParameter isReference description }
    edges { upstream downstream key mapped flatten }
    versions { id version created archived fingerprint }
  }
}`,y=`
query FlowRuns($flowGroupId: ID, $states: [String!], $first: Int!, $after: String,
               $orderBy: FlowRunOrder, $scheduledAfter: DateTime) {
  flowRuns(flowGroupId: $flowGroupId, states: $states, first: $first, after: $after,
           orderBy: $orderBy, scheduledAfter: $scheduledAfter) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { ${s} }
  }
}`,b=`
mutation CreateFlowRun($input: CreateFlowRunInput!) {
  createFlowRun(input: $input) { id name state }
}`,x=`
query FlowRun($id: ID!) {
  flowRun(id: $id) {
    ${s}
    states { id state stateType message timestamp startTime version }
  }
}`,S=`
subscription FlowRunLive($id: ID!) {
  flowRun(id: $id) {
    kind
    flowRun { ${s} }
    taskRuns { ${c} }
  }
}`,C=`
query TaskRuns($flowRunId: ID!, $taskSlug: String, $mapIndex: Int, $states: [String!], $first: Int!, $after: String) {
  taskRuns(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex, states: $states,
           first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { ${c} }
  }
}`,w=`
query TaskRunDetail($flowRunId: ID!, $taskSlug: String!, $mapIndex: Int!) {
  flowRun(id: $flowRunId) { ${s} }
  taskRuns(flowRunId: $flowRunId, taskSlug: $taskSlug, mapIndex: $mapIndex, first: 1) {
    nodes { ${c} states { id state stateType message timestamp startTime version } }
  }
}`,T=`
subscription LogsLive($flowRunId: ID!, $after: String) {
  logs(flowRunId: $flowRunId, after: $after) { ${l} }
}`,E=`
mutation SetFlowRunStates($changes: [JSON!]!) {
  setFlowRunStates(changes: $changes) { accepted state code reason }
}`,D=`mutation Cancel($id: ID!) { cancelFlowRun(id: $id) { id state } }`,O=`mutation Restart($id: ID!) { restartFlowRun(id: $id) { id state } }`,k=`mutation Delete($id: ID!) { deleteFlowRun(id: $id) }`,A=`query Agents { agents { id name labels version lastHeartbeat created runsInFlight } }`,j=t(i(),1),M=1e4,N=new Map,P=200;function F(e,t){N.delete(e),N.set(e,t),N.size>P&&N.delete(N.keys().next().value)}function I(e,t={},r={}){let i=e+JSON.stringify(t),[o,s]=(0,j.useState)(()=>({key:i,data:N.get(i),error:null,loading:!r.skip})),c=(0,j.useRef)({query:e,variables:t,key:i});c.current={query:e,variables:t,key:i};let l=(0,j.useRef)(0),u=(0,j.useCallback)(async()=>{let{query:e,variables:t,key:r}=c.current,i=++l.current;s(e=>e.key===r?{...e,loading:!0}:{key:r,data:N.get(r)??e.data,error:null,loading:!0});try{let a=await n(e,t);F(r,a),i===l.current&&s({key:r,data:a,error:null,loading:!1})}catch(e){i===l.current&&s(t=>({key:r,data:t.data,error:e,loading:!1}))}},[]);(0,j.useEffect)(()=>{if(r.skip)return;u();let e=a(()=>void u()),t;return r.refreshMs&&(t=setInterval(()=>void u(),Math.max(M,r.refreshMs))),()=>{e(),t&&clearInterval(t)}},[i,r.skip,r.refreshMs,u]);let d=o.key===i?o:{data:N.get(i)??o.data,error:null,loading:!0};return{data:d.data,error:d.error,loading:d.loading,refetch:u}}function L(e=1e3){let[t,n]=(0,j.useState)(()=>Date.now());return(0,j.useEffect)(()=>{let t=setInterval(()=>n(Date.now()),e);return()=>clearInterval(t)},[e]),t}function R(e,t){let n=(0,j.useRef)(e);n.current=e;let r=(0,j.useRef)(null),i=(0,j.useRef)(0);return(0,j.useEffect)(()=>()=>{r.current&&clearTimeout(r.current)},[]),(0,j.useCallback)(()=>{if(r.current)return;let e=Math.max(0,i.current+t-Date.now());r.current=setTimeout(()=>{r.current=null,i.current=Date.now(),n.current()},e)},[t])}var z=r();function B({children:e}){let[t,n]=(0,j.useState)(!1);return(0,z.jsxs)(`div`,{className:`cmd`,children:[(0,z.jsx)(`span`,{className:`prompt`,children:`$`}),(0,z.jsx)(`code`,{children:e}),(0,z.jsx)(`button`,{type:`button`,className:`btn btn-sm btn-ghost`,onClick:async()=>{try{await navigator.clipboard.writeText(e),n(!0),setTimeout(()=>n(!1),1500)}catch{}},title:`Copy`,"aria-label":`Copy ${e}`,children:t?`Copied`:(0,z.jsx)(o,{size:15})})]})}function V({icon:e,title:t,children:n,commands:r=[]}){return(0,z.jsxs)(`div`,{className:`empty`,children:[e&&(0,z.jsx)(`div`,{className:`icon`,children:e}),(0,z.jsx)(`h3`,{children:t}),n&&(0,z.jsx)(`p`,{children:n}),r.map(e=>(0,z.jsx)(B,{children:e},e))]})}function H({crumbs:t=[],title:n,subtitle:r,actions:i}){return(0,z.jsxs)(`header`,{className:`page-head`,children:[(0,z.jsxs)(`div`,{className:`titles`,children:[t.length>0&&(0,z.jsx)(`nav`,{className:`crumbs`,"aria-label":`Breadcrumb`,children:t.map((t,n)=>(0,z.jsxs)(j.Fragment,{children:[n>0&&(0,z.jsx)(`span`,{children:`/`}),t.to?(0,z.jsx)(e,{to:t.to,children:t.label}):(0,z.jsx)(`span`,{children:t.label})]},`${t.label}-${n}`))}),(0,z.jsx)(`h1`,{children:n}),r&&(0,z.jsx)(`div`,{className:`subtitle`,children:r})]}),i&&(0,z.jsx)(`div`,{className:`actions`,children:i})]})}function U({title:e,hint:t,actions:n,children:r,flush:i,className:a,testId:o}){return(0,z.jsxs)(`section`,{className:`card${a?` ${a}`:``}`,"data-testid":o,children:[(e||n)&&(0,z.jsxs)(`div`,{className:`card-head`,children:[(0,z.jsx)(`h2`,{children:e}),t&&(0,z.jsx)(`span`,{className:`hint`,children:t}),n]}),(0,z.jsx)(`div`,{className:i?`card-body flush`:`card-body`,children:r})]})}function W({tabs:t,active:n,hrefFor:r}){return(0,z.jsx)(`div`,{className:`tabs`,role:`tablist`,children:t.map(t=>(0,z.jsxs)(e,{to:r(t.id),replace:!0,className:`tab`,role:`tab`,"aria-selected":t.id===n,children:[t.label,t.count!=null&&(0,z.jsx)(`span`,{className:`count`,children:t.count.toLocaleString()})]},t.id))})}function G(e){if(!e)return null;let t=Date.parse(e);return Number.isNaN(t)?null:t}function K(e){if(e==null||!Number.isFinite(e))return`—`;if(e<0&&(e=0),e<1e3)return`${Math.round(e)}ms`;let t=e/1e3;if(t<60)return`${t<10?t.toFixed(1):Math.round(t)}s`;let n=Math.round(t),r=Math.floor(n/60),i=n%60;if(r<60)return`${r}m ${String(i).padStart(2,`0`)}s`;let a=Math.floor(r/60);return a<24?`${a}h ${String(r%60).padStart(2,`0`)}m`:`${Math.floor(a/24)}d ${a%24}h`}function q(e,t=Date.now()){let n=typeof e==`number`?e:G(e);if(n==null)return`—`;let r=n-t,i=Math.abs(r),a=(e,t)=>{let n=Math.round(e),i=`${n} ${t}${n===1?``:`s`}`;return r<0?`${i} ago`:`in ${i}`};return i<1e4?r<0?`just now`:`in a moment`:i<6e4?a(i/1e3,`second`):i<36e5?a(i/6e4,`minute`):i<864e5?a(i/36e5,`hour`):a(i/864e5,`day`)}var J=new Intl.DateTimeFormat(void 0,{year:`numeric`,month:`short`,day:`numeric`,hour:`2-digit`,minute:`2-digit`,second:`2-digit`}),Y=new Intl.DateTimeFormat(void 0,{hour:`2-digit`,minute:`2-digit`,second:`2-digit`});function X(e){let t=typeof e==`number`?e:G(e);return t==null?`—`:J.format(t)}function Z(e){let t=typeof e==`number`?e:G(e);if(t==null)return`—`;let n=new Date(t);return`${Y.format(t)}.${String(n.getMilliseconds()).padStart(3,`0`)}`}function Q(e,t,n=Date.now()){let r=G(e);if(r==null)return null;let i=G(t)??n;return Math.max(0,i-r)}export{_ as A,y as C,O as D,p as E,w as M,g as N,f as O,x as S,T,m as _,G as a,v as b,H as c,L as d,I as f,b as g,D as h,q as i,C as j,E as k,W as l,A as m,X as n,Q as o,R as p,K as r,U as s,Z as t,V as u,d as v,S as w,h as x,k as y};